#!/usr/bin/env python3
"""Fails when a module's SQL names a table another module owns.

A module owns the tables its migrations create (CREATE TABLE in its folder). Any other
module's source that names such a table after FROM, JOIN, INTO, UPDATE or DELETE FROM reads or
writes it behind the owner's back: it must call the owner's header instead. REFERENCES (a
foreign key, declared in the module manifest's depends_on) is allowed. Benchmarks and tests
may build their own tables of the same name; they are not checked.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
src = root / "src" / "mekong"
# Not modules with tables of their own, and allowed their own scratch tables: the tracing
# benchmark builds a bare checkin table in a throwaway database of its own.
exempt = {"benchmark"}

owner = {}
for path in src.rglob("*.cc"):
    if path.name.endswith("_test.cc"):
        continue
    module = path.relative_to(src).parts[0]
    for table in re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)", path.read_text()):
        owner.setdefault(table, module)

use = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_][a-z0-9_]*)\b")
problems = []
for path in sorted(list(src.rglob("*.cc")) + list(src.rglob("*.h"))):
    if path.name.endswith("_test.cc"):
        continue
    module = path.relative_to(src).parts[0]
    if module in exempt:
        continue
    for n, line in enumerate(path.read_text().splitlines(), 1):
        for table in use.findall(line):
            if table in owner and owner[table] != module:
                problems.append(f"{path.relative_to(root)}:{n}: {module} uses {owner[table]}'s table {table}")

for p in problems:
    print(p)
if problems:
    print(f"{len(problems)} uses of another module's tables: call that module's header instead", file=sys.stderr)
    sys.exit(1)
print(f"module tables: {len(owner)} tables, each used only by its owner")
