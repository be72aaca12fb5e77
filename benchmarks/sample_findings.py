"""Draw a stratified random sample of clarity's findings on labelled replies, to judge.

    python benchmarks/sample_findings.py --set dev --n 220 --seed 11 --out sample.jsonl

Every finding of ``bench_quality.py --findings`` on the set is a candidate; each rule
code gets ``floor(n * count / total)`` findings, at least ``min(3, count)``, drawn with
``random.Random(seed)`` (codes in sorted order, one generator). Each row carries what a
judge needs and nothing of the labels: the reply, the customer's message, the audience,
the finding (code, severity, span, text) and clarity's message for it. Judges add
``verdict`` (right, marginal, wrong) and ``why``; ``judged_precision.py`` scores them.
The held-out set is refused: its texts are never written.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import clarity

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_quality import QUALITY, SETS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="dev", help="dev or .jsonl files (not heldout)")
    ap.add_argument("--n", type=int, default=220)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    if "heldout" in args.set:
        ap.error("the held-out set is never sampled for reading")
    paths = (
        [QUALITY / f for f in SETS[args.set]]
        if args.set in SETS
        else [Path(p) for p in args.set.split()]
    )
    items = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            items[item["id"]] = item
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "findings.jsonl"
        cmd = [sys.executable, str(HERE / "bench_quality.py"), "--findings", str(dump)]
        cmd += ["--set", *(args.set.split() if args.set not in SETS else [args.set])]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        found = [json.loads(x) for x in dump.read_text(encoding="utf-8").splitlines()]
    by_code: dict[str, list[dict]] = defaultdict(list)
    for f in found:
        by_code[f["code"]].append(f)
    rng = random.Random(args.seed)
    total = len(found)
    picked = []
    for code in sorted(by_code):
        rows = by_code[code]
        k = max(min(3, len(rows)), args.n * len(rows) // total)
        picked += rng.sample(rows, min(k, len(rows)))
    checkers: dict[str, clarity.Checker] = {}
    out = []
    # Two findings on one span (T013 on two questions) take its messages in order.
    taken: dict[tuple[str, str, int, int], int] = defaultdict(int)
    for f in sorted(picked, key=lambda f: (f["id"], f["start"], f["code"])):
        item = items[f["id"]]
        checker = checkers.setdefault(item["audience"], clarity.Checker(audience=item["audience"]))
        report = checker.check(item["reply"], incoming=item.get("customer"))
        messages = [
            x.message
            for x in (*report.findings, *report.subject_findings)
            if (x.code, x.start, x.end) == (f["code"], f["start"], f["end"])
        ]
        key = (f["id"], f["code"], f["start"], f["end"])
        nth = taken[key]
        taken[key] += 1
        out.append(
            {
                "id": f["id"],
                "code": f["code"],
                "severity": f["severity"],
                "start": f["start"],
                "end": f["end"],
                "text": f["text"],
                "message": messages[min(nth, len(messages) - 1)] if messages else "",
                "audience": item["audience"],
                "customer": item.get("customer"),
                "reply": item["reply"],
            }
        )
    args.out.write_text("".join(json.dumps(r) + "\n" for r in out), encoding="utf-8")
    print(f"{len(out)} of {total} findings sampled (seed {args.seed}) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
