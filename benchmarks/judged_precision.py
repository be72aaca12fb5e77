"""Precision of clarity's findings as judged by hand (see benchmarks/quality/JUDGING.md).

    python benchmarks/judged_precision.py [benchmarks/quality/judged_findings_v3.jsonl]

Reads one judged finding a line (``verdict`` is right, marginal or wrong) and prints
strict precision (right / all), lenient precision ((right + marginal) / all), then the
counts right / marginal / wrong per rule code and per severity, and the most common
reasons given for "wrong" (a reason "kind: detail" counts under its kind).
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT = Path(__file__).parent / "quality" / "judged_findings_v3.jsonl"
VERDICTS = ("right", "marginal", "wrong")


def load(path: Path) -> list[dict[str, object]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("verdict") not in VERDICTS:
            raise SystemExit(f"{path}:{n}: verdict {row.get('verdict')!r}")
        rows.append(row)
    return rows


def table(title: str, groups: dict[str, Counter[str]]) -> None:
    heads = f"{'n':>4} {'right':>6} {'marg.':>6} {'wrong':>6} {'strict':>7} {'lenient':>8}"
    print(f"\n{title:<10} {heads}")
    for key in sorted(groups):
        c = groups[key]
        n = sum(c.values())
        strict = c["right"] / n
        lenient = (c["right"] + c["marginal"]) / n
        print(
            f"{key:<10} {n:>4} {c['right']:>6} {c['marginal']:>6} {c['wrong']:>6}"
            f" {strict:>7.0%} {lenient:>8.0%}"
        )


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    rows = load(path)
    if not rows:
        raise SystemExit(f"{path}: no judged findings")
    total: Counter[str] = Counter(str(r["verdict"]) for r in rows)
    n = len(rows)
    print(f"{n} judged findings from {path.name}")
    lenient = (total["right"] + total["marginal"]) / n
    print(f"strict precision  (right / all):              {total['right'] / n:.1%}")
    print(f"lenient precision ((right + marginal) / all): {lenient:.1%}")
    by_code: dict[str, Counter[str]] = defaultdict(Counter)
    by_severity: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        by_code[str(r["code"])][str(r["verdict"])] += 1
        by_severity[str(r["severity"])][str(r["verdict"])] += 1
    table("code", by_code)
    table("severity", by_severity)
    # A "why" of the form "kind: detail" is counted by its kind.
    reasons = Counter(str(r["why"]).split(":")[0] for r in rows if r["verdict"] == "wrong")
    print("\nreasons for 'wrong':")
    for why, count in reasons.most_common(10):
        print(f"{count:>4}  {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
