"""Check that a change to clarity's speed left every report as it was.

    python benchmarks/same_reports.py --write before.jsonl     # on the old code
    python benchmarks/same_reports.py --against before.jsonl  # on the new code

Checks the benchmark drafts (``benchmarks/data``) and the development set's replies
(``benchmarks/quality/dev_*.jsonl``: each reply alone, then each reply with its
customer's message, so the rules that read the customer run too) with
``Checker.check_many``, and writes every report (findings, readability, tone, regions)
as one JSON line. ``--against`` compares with an earlier run line by line, prints the
first differences and exits 1 if any; never the held-out set.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import clarity
from clarity.draft import Draft

HERE = Path(__file__).resolve().parent


def drafts() -> Iterator[Draft]:
    for path in sorted((HERE / "data").glob("*.txt")):
        yield Draft(path.read_text(encoding="utf-8"))
    items = []
    for path in sorted((HERE / "quality").glob("dev_*.jsonl")):
        items += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    for item in items:
        yield Draft(item["reply"])
    for item in items:
        if item.get("customer"):
            yield Draft(item["reply"], incoming=item["customer"])


def lines() -> Iterator[str]:
    for report in clarity.Checker().check_many(drafts()):
        yield json.dumps(dataclasses.asdict(report), sort_keys=True, default=str)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--write", type=Path, help="write the reports here")
    what.add_argument("--against", type=Path, help="compare with reports written before")
    args = parser.parse_args(argv)
    if args.write:
        with args.write.open("w", encoding="utf-8") as out:
            n = sum(out.write(line + "\n") > 0 for line in lines())
        print(f"{n} reports written to {args.write}")
        return 0
    before = args.against.read_text(encoding="utf-8").splitlines()
    differ = n = 0
    for n, (old, new) in enumerate(zip(before, lines(), strict=False), 1):
        if old != new:
            differ += 1
            if differ <= 3:
                print(f"report {n} differs:\n  before: {old[:300]}\n  now:    {new[:300]}")
    if n != len(before):
        print(f"{len(before)} reports before, {n} compared now")
        return 1
    print(f"{n} reports compared, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
