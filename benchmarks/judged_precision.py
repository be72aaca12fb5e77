"""Precision of clarity's findings as judged by hand (see benchmarks/quality/JUDGING.md).

    python benchmarks/judged_precision.py [benchmarks/quality/judged_findings_v3.jsonl]
    python benchmarks/judged_precision.py FILE --now dev_h dev_i

Reads one judged finding a line (``verdict`` is right, marginal or wrong) and prints
strict precision (right / all), lenient precision ((right + marginal) / all), then the
counts right / marginal / wrong per rule code and per severity, and the most common
reasons given for "wrong" (a reason "kind: detail" counts under its kind).

``--now SET...`` (labelled files under benchmarks/quality, by name) first checks those
replies with clarity as it is now and keeps the judged findings it still reports (same
reply, code and span) at the severity it reports them now: the verdicts of a census of
every finding, carried to the current code. Findings it reports now that were never
judged are counted and listed, so the figure is never quietly a subset.
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


def current(rows: list[dict[str, object]], names: list[str]) -> list[dict[str, object]]:
    """The judged ``rows`` clarity still reports on the replies of ``names``, with
    their severity now; prints the findings it reports that were never judged."""
    import clarity

    checkers: dict[str, clarity.Checker] = {}
    now: dict[tuple[object, ...], str] = {}
    for name in names:
        if "heldout" in name:
            raise SystemExit("the held-out set is never read")
        path = Path(__file__).parent / "quality" / f"{name.removesuffix('.jsonl')}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            audience = item.get("audience") or "customer"
            checker = checkers.setdefault(audience, clarity.Checker(audience=audience))
            report = checker.check(item["reply"], incoming=item.get("customer") or None)
            for f in report.findings:
                now[(item["id"], f.code, f.start, f.end)] = f.severity.value
    judged = {(r["id"], r["code"], r["start"], r["end"]) for r in rows}
    kept = [
        {**r, "severity": now[key]}
        for r in rows
        if (key := (r["id"], r["code"], r["start"], r["end"])) in now
    ]
    new = sorted(k for k in now if k not in judged)
    print(f"judged findings still reported now: {len(kept)} of {len(rows)}")
    print(f"findings reported now that were never judged: {len(new)}")
    for key in new:
        print(f"    {key[0]} {key[1]} [{key[2]}:{key[3]}] ({now[key]})")
    return kept


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv):
        print(__doc__)
        return 0
    names: list[str] = []
    if "--now" in argv:
        at = argv.index("--now")
        argv, names = argv[:at], argv[at + 1 :]
    path = Path(argv[0]) if argv else DEFAULT
    rows = load(path)
    if names:
        rows = current(rows, names)
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
