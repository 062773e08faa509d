#!/usr/bin/env python3
"""ecscheck: check shim records against the ECS field definitions.

usage: ecscheck.py ECS_JSON LOG...

ECS_JSON holds {"version": EcsVersion, "fields": {name: type}}, dumped
from npm @elastic/ecs's ecs_flat table.  Every field of every record
outside tlsdiag.* must exist in ECS and its value must have the ECS type
(keyword, long, date, ip, boolean, ...; a list is checked element by
element); every record's ecs.version must be the table's version.  Prints
one line per distinct field (name, ECS type, records) and the actions
seen; exit status 1 if anything does not conform.
Standard library only.
"""

import ipaddress
import json
import re
import sys

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?"
                  r"(Z|[+-]\d{2}:\d{2})$")
STRINGS = ("keyword", "constant_keyword", "wildcard", "text",
           "match_only_text")
INTEGERS = ("long", "integer", "short", "byte", "unsigned_long")
FLOATS = ("float", "double", "half_float", "scaled_float")


def conforms(kind, v):
    if isinstance(v, list):
        return all(conforms(kind, x) for x in v)
    if kind in STRINGS:
        return isinstance(v, str)
    if kind in INTEGERS:
        return isinstance(v, int) and not isinstance(v, bool)
    if kind in FLOATS:
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if kind == "boolean":
        return isinstance(v, bool)
    if kind == "date":
        return isinstance(v, str) and DATE.match(v) is not None
    if kind == "ip":
        try:
            ipaddress.ip_address(v)
            return True
        except (TypeError, ValueError):
            return False
    if kind in ("object", "flattened", "nested"):
        return isinstance(v, (dict, list))
    return False


def leaves(obj, prefix=""):
    """(flat name, value) for every leaf; dotted keys are paths too."""
    for k, v in obj.items():
        name = prefix + "." + k if prefix else k
        if isinstance(v, dict):
            yield from leaves(v, name)
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            for x in v:
                yield from leaves(x, name)
        else:
            yield name, v


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0]) as f:
        ecs = json.load(f)
    types = ecs["fields"]
    seen, actions, problems = {}, {}, []
    for path in argv[1:]:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                rec = json.loads(line)
                where = "%s:%d" % (path, n)
                act = (rec.get("event", {}).get("action"),
                       rec.get("log.level"))
                actions[act] = actions.get(act, 0) + 1
                if rec.get("ecs.version") != ecs["version"]:
                    problems.append("%s: ecs.version %r, want %r" % (
                        where, rec.get("ecs.version"), ecs["version"]))
                for name, v in leaves(rec):
                    if name == "tlsdiag" or name.startswith("tlsdiag."):
                        continue
                    kind = types.get(name)
                    seen[name] = (kind, seen.get(name, (kind, 0))[1] + 1)
                    if kind is None:
                        problems.append("%s: %s is not an ECS field"
                                        % (where, name))
                    elif v is not None and not conforms(kind, v):
                        problems.append("%s: %s = %r is not an ECS %s"
                                        % (where, name, v, kind))
    for name in sorted(seen):
        kind, count = seen[name]
        print("  %-40s %-10s %d" % (name, kind or "(not ECS)", count))
    print("%d fields outside tlsdiag.* in %d records, ECS %s" % (
        len(seen), sum(actions.values()), ecs["version"]))
    for (act, level), count in sorted(actions.items(), key=str):
        print("  %s/%s: %d" % (act, level, count))
    for p in problems[:50]:
        print("NONCONFORMING: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
