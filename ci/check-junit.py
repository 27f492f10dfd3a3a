#!/usr/bin/env python3
"""Checks haywire's JUnit files: valid against schemas/junit.xsd (the
Jenkins format), loaded by junitparser with the counts expected, and turned
into HTML by junit2html. Also checks that the XSD refuses broken reports.

usage: check-junit.py FILE TESTS FAILURES ERRORS [FILE TESTS FAILURES ERRORS ...]
"""
import os
import subprocess
import sys
import tempfile

import xmlschema
from junitparser import Error, Failure, JUnitXml

XSD = xmlschema.XMLSchema("schemas/junit.xsd")

BROKEN = {
    "a testcase without classname": '<testsuites><testsuite name="s" tests="1"><testcase name="c"/></testsuite></testsuites>',
    "a testcase with two failures": '<testsuites><testsuite name="s" tests="1"><testcase name="c" classname="s">'
    '<failure message="a"/><failure message="b"/></testcase></testsuite></testsuites>',
    "a negative time": '<testsuites><testsuite name="s" tests="1" time="-1"><testcase name="c" classname="s"/></testsuite></testsuites>',
}


def valid(path):
    errors = list(XSD.iter_errors(path))
    for error in errors[:3]:
        print(f"{path}: not valid against schemas/junit.xsd: {error.reason} at {error.path}")
    return not errors


def renders(path):
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "report.html")
        done = subprocess.run(["junit2html", path, out], capture_output=True, text=True)
        if done.returncode != 0 or not os.path.getsize(out):
            print(f"{path}: junit2html failed: {done.stderr.strip()}")
            return False
    return True


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
    if not (valid(path) and renders(path)):
        return False
    print(f"{path}: valid against the XSD, junit2html renders it, junitparser reads {tests} tests, {failures} failures, {errors} errors")
    return True


def main(args):
    if len(args) % 4 != 0 or not args:
        print(__doc__)
        return 2
    ok = True
    for what, text in BROKEN.items():
        if XSD.is_valid(text):
            print(f"schemas/junit.xsd accepts {what}")
            ok = False
    for i in range(0, len(args), 4):
        ok &= check(args[i], int(args[i + 1]), int(args[i + 2]), int(args[i + 3]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
