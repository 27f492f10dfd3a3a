#!/usr/bin/env python3
"""Validates every suite under Suites/ (and any suite given, such as one
`haywire plan` wrote) against schemas/suite.schema.json, and checks that the
schema refuses what the loader refuses.

usage: check-schemas.py [SUITE ...]
"""
import glob
import json
import sys

import jsonschema
import yaml

class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2's booleans (true/false only), as haywire and editors read:
    PyYAML's 1.1 rules would make the keys 'on' and 'off' booleans."""


Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load(text):
    return yaml.load(text, Loader=Yaml12Loader)


SCHEMA = json.load(open("schemas/suite.schema.json"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

# Suites the loader refuses; the schema must refuse them too.
BROKEN = {
    "an unknown top-level key": "suite: s\ncluster: {manager: simulated, config: c.cf}\nlab: {hosts: {a: {}}}\nscenario: []\n",
    "a fault naming two kinds": "suite: s\ncluster: {manager: simulated}\nlab: {hosts: {a: {}}}\nscenarios:\n"
    "  - {name: x, fault: {kill-host: a, kill-guest: g}, expect: [{group: g, online: any, within: 1m}]}\n",
    "a duration that is not one": "suite: s\ncluster: {manager: simulated}\nlab: {hosts: {a: {}}}\nscenarios:\n"
    "  - {name: x, fault: {kill-host: a}, expect: [{group: g, online: any, within: soon}]}\n",
    "an unknown manager": "suite: s\ncluster: {manager: heartbeat}\nlab: {hosts: {a: {}}}\nscenarios:\n"
    "  - {name: x, fault: {kill-host: a}, expect: [{group: g, online: any}]}\n",
    "a scenario without a fault": "suite: s\ncluster: {manager: simulated}\nlab: {hosts: {a: {}}}\nscenarios:\n"
    "  - {name: x, expect: [{group: g, online: any}]}\n",
    "a guest placed twice (hosts and on)": "suite: s\ncluster: {manager: simulated}\n"
    "lab: {hosts: {a: {}}, guests: {g: {hosts: [a], on: [a]}}}\nscenarios:\n"
    "  - {name: x, fault: {kill-host: a}, expect: [{group: g, online: any}]}\n",
}


def main():
    ok = True
    suites = sorted(glob.glob("Suites/**/*.yaml", recursive=True)) + sys.argv[1:]
    for path in suites:
        text = open(path).read()
        # Every shipped or planned suite reads alike in YAML 1.1 readers
        # (PyYAML, Ansible), where on/off/yes/no are booleans.
        if yaml.safe_load(text) != load(text):
            print(f"{path}: PyYAML's YAML 1.1 reading differs from YAML 1.2's (a key or value on, off, yes or no)")
            ok = False
        errors = sorted(VALIDATOR.iter_errors(load(text)), key=lambda e: list(e.path))
        for error in errors:
            print(f"{path}: {'/'.join(map(str, error.path))}: {error.message}")
            ok = False
    for what, text in BROKEN.items():
        if VALIDATOR.is_valid(load(text)):
            print(f"schemas/suite.schema.json accepts {what}")
            ok = False
    if ok:
        print(f"schemas/suite.schema.json: {len(suites)} suites valid, {len(BROKEN)} broken ones refused")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
