#!/usr/bin/env python3
"""Loads haywire's JUnit files with junitparser and checks their counts.

usage: check-junit.py FILE TESTS FAILURES ERRORS [FILE TESTS FAILURES ERRORS ...]
"""
import sys

from junitparser import Error, Failure, JUnitXml


def check(path, tests, failures, errors):
    xml = JUnitXml.fromfile(path)
    cases = [case for suite in xml for case in suite]
    found_failures = sum(1 for case in cases for r in case.result if isinstance(r, Failure))
    found_errors = sum(1 for case in cases for r in case.result if isinstance(r, Error))
    got = (len(cases), found_failures, found_errors)
    want = (tests, failures, errors)
    header = (xml.tests, xml.failures, xml.errors)
    if got != want or header != want:
        print(f"{path}: want tests/failures/errors {want}, cases say {got}, header says {header}")
        return False
    for case in cases:
        if not case.classname or not case.name:
            print(f"{path}: a testcase lacks classname or name")
            return False
    print(f"{path}: junitparser reads {tests} tests, {failures} failures, {errors} errors")
    return True


def main(args):
    if len(args) % 4 != 0 or not args:
        print(__doc__)
        return 2
    ok = True
    for i in range(0, len(args), 4):
        ok &= check(args[i], int(args[i + 1]), int(args[i + 2]), int(args[i + 3]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
