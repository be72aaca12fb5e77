"""Every edit ``clarity fix --unsafe`` applies to the dev replies, and a hand-judged sample.

    python benchmarks/unsafe_edits.py [--out FILE]            # collect, print counts
    python benchmarks/unsafe_edits.py --out FILE --sample 160 --seed 11 --sample-out S
    python benchmarks/unsafe_edits.py --figures [benchmarks/quality/judged_unsafe_v8.jsonl]
    python benchmarks/unsafe_edits.py --set benchmarks/quality/dev_?.jsonl \\
        --figures benchmarks/quality/judged_unsafe_v{3,4,5,6,7,8}.jsonl  # every verdict, now

Collecting runs ``Checker(audience=...).fix(reply, unsafe=True)``'s loop pass by pass
(the same calls as :meth:`clarity.engine.Checker.fix`: check, ``apply_fixes``, shift
the regions, check again), so each applied finding's edits are known against the text
of the pass they were applied to. One JSONL row per applied finding: reply id,
audience, pass, code, applicability, the original span(s), the replacement(s), and the
sentence containing the edit before and after (only this finding's edits, touch-ups
included, applied). The final text of each reply is checked against
``Checker.fix`` itself.

``--figures FILE --set SETS`` first carries the verdicts of FILE to the edits clarity
makes now on SETS (same reply, rule, text, replacement and sentence), lists the edits it
makes now that were never judged, and prints the figures of those still made: how a
census of every edit reads after the fixes it led to.

``--sample N --seed S`` draws N rows stratified by code (proportional, at least two
per code when it has two, largest remainder) and writes them with an empty verdict
for judging. ``--figures`` reads a judged file (``verdict`` ok or worse; ``why`` as
"kind: detail") and prints the share worse overall, by applicability, by code, and
the commonest reasons with an example each. See benchmarks/quality/JUDGING_UNSAFE.md.
Collecting also prints how many J001/J002/W001... fixes were offered on the replies as
written, by applicability: an unsafe swap that cannot be shown to fit its sentence
(:mod:`clarity.fit`) is offered for display only and never applied.

Samples: ``judged_unsafe.jsonl`` (160 edits, seed 11, before :mod:`clarity.fit`);
``judged_unsafe_v2.jsonl`` (after it; ``--sample 120 --seed 26``); ``judged_unsafe_v3``
to ``v5`` on ``dev_a``-``dev_f`` (seeds 31, 43, 47; v5 the newest).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "quality"
DEV = [HERE / f"dev_{x}.jsonl" for x in "abcdef"]
JUDGED = HERE / "judged_unsafe.jsonl"
#: The sample judged after unsafe swaps were limited to those that fit (clarity.fit).
JUDGED_NEWEST = HERE / "judged_unsafe_v8.jsonl"
VERDICTS = ("ok", "worse")
_SENT_END = re.compile(r"[.!?][\"')\]]*(?=\s)|\n")


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around ``[start, end)``: from after the last ``.!?``+space
    or newline before ``start`` to the next one after ``end``."""
    lo = 0
    for m in _SENT_END.finditer(text, 0, start):
        lo = m.end()
    m = _SENT_END.search(text, max(end, start))
    hi = m.end() if m else len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, hi


#: (code, applicability) of every fix offered on the dev replies as written (first pass).
OFFERED: Counter[tuple[str, str]] = Counter()


def collect(paths: list[Path] | None = None) -> list[dict[str, Any]]:
    from clarity import Checker
    from clarity.engine import _shift_regions
    from clarity.fixes import apply_edits, apply_fixes

    checkers: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for path in paths or DEV:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            aud = item["audience"]
            checker = checkers.setdefault(aud, Checker(audience=aud))
            text, _ = checker._validate(item["reply"])
            regions = checker._regions_for(text, None)
            current = text
            report = checker.check(current, regions=regions)
            OFFERED.update(
                (f.code, f.fix.applicability.value)
                for f in report.findings
                if f.fix is not None and f.fix.edits
            )
            for n in range(4):  # Checker.fix's max_passes
                new, chosen = apply_fixes(current, report.findings, unsafe=True, regions=regions)
                if not chosen or new == current:
                    break
                for c in chosen:
                    f = c.finding
                    assert f.fix is not None
                    own = set(f.fix.edits)
                    lo = min(e.start for e in c.edits)
                    hi = max(e.end for e in c.edits)
                    s, t = sentence_span(current, lo, hi)
                    shifted = [type(e)(e.start - s, e.end - s, e.replacement) for e in c.edits]
                    rows.append(
                        {
                            "id": item["id"],
                            "audience": aud,
                            "pass": n + 1,
                            "code": f.code,
                            "applicability": f.fix.applicability.value,
                            "span": " | ".join(current[e.start : e.end] for e in f.fix.edits),
                            "replacement": " | ".join(e.replacement for e in f.fix.edits),
                            "touch_ups": [
                                [current[e.start : e.end], e.replacement]
                                for e in c.edits
                                if e not in own
                            ],
                            "before": current[s:t],
                            "after": apply_edits(current[s:t], shifted),
                        }
                    )
                if regions:
                    regions = _shift_regions(regions, [e for c in chosen for e in c.edits])
                current = new
                report = checker.check(current, regions=regions)
            final = checker.fix(item["reply"], unsafe=True).text
            if final != current:
                raise SystemExit(f"{item['id']}: pass-by-pass text differs from Checker.fix")
    return rows


def print_counts(rows: list[dict[str, Any]]) -> None:
    by = Counter((r["code"], r["applicability"]) for r in rows)
    app = Counter(r["applicability"] for r in rows)
    print(f"applied edits: {len(rows)} ({', '.join(f'{k} {v}' for k, v in sorted(app.items()))})")
    print(f"{'code':<6} {'applicability':<13} {'n':>5}")
    for (code, a), n in sorted(by.items()):
        print(f"{code:<6} {a:<13} {n:>5}")
    if OFFERED:
        print("\nfixes offered on the replies as written (first pass), by applicability:")
        codes = sorted({c for c, _ in OFFERED})
        print(f"{'code':<6} {'safe':>6} {'unsafe':>7} {'display':>8}")
        for c in codes:
            print(
                f"{c:<6} {OFFERED[(c, 'safe')]:>6} {OFFERED[(c, 'unsafe')]:>7}"
                f" {OFFERED[(c, 'display')]:>8}"
            )


def draw(rows: list[dict[str, Any]], n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` rows stratified by code: proportional, at least min(2, size) per code."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[r["code"]].append(r)
    codes = sorted(groups)
    quota = {c: min(2, len(groups[c])) for c in codes}
    left = n - sum(quota.values())
    total = len(rows)
    shares = {c: max(0.0, len(groups[c]) * n / total - quota[c]) for c in codes}
    scale = left / sum(shares.values()) if sum(shares.values()) else 0.0
    exact = {c: shares[c] * scale for c in codes}
    for c in codes:
        quota[c] += min(int(exact[c]), len(groups[c]) - quota[c])
    rest = n - sum(quota.values())
    for c in sorted(codes, key=lambda c: (-(exact[c] - int(exact[c])), c)):
        if rest <= 0:
            break
        if quota[c] < len(groups[c]):
            quota[c] += 1
            rest -= 1
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for c in codes:
        out.extend(rng.sample(groups[c], quota[c]))
    return out


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    """An edit, as judged: the reply, the rule, what it replaced with what, where."""
    return (row["id"], row["code"], row["span"], row["replacement"], row["before"])


def load_judged(path: Path) -> list[dict[str, Any]]:
    rows = []
    for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("verdict") not in VERDICTS:
            raise SystemExit(f"{path}:{k}: verdict {row.get('verdict')!r}")
        rows.append(row)
    return rows


def carry(judged: list[dict[str, Any]], now: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The edits ``clarity fix --unsafe`` makes now that were judged (their verdicts
    carried over); prints how many were judged, are gone and are new (never judged)."""
    verdicts: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in judged:  # the first verdict of an edit wins: files are given newest first
        verdicts.setdefault(_key(r), r)
    kept = [verdicts[_key(r)] for r in now if _key(r) in verdicts]
    new = [r for r in now if _key(r) not in verdicts]
    gone = len(verdicts) - len({_key(r) for r in kept})
    print(f"edits now: {len(now)}; judged and still made: {len(kept)}; judged and no")
    print(f"longer made: {gone}; made now and never judged: {len(new)}")
    for r in new:
        print(f"    {r['id']} {r['code']} {r['span']!r} -> {r['replacement']!r}")
    return kept


def figures(path: Path, rows: list[dict[str, Any]] | None = None) -> None:
    rows = load_judged(path) if rows is None else rows
    worse = [r for r in rows if r["verdict"] == "worse"]
    n, k = len(rows), len(worse)
    z = 1.96  # Wilson 95% interval
    mid = (k + z * z / 2) / (n + z * z)
    half = z * math.sqrt(k * (n - k) / n + z * z / 4) / (n + z * z)
    print(
        f"judged: {n}  worse: {k}  share worse: {k / n:.1%}",
        f"(95% CI {mid - half:.1%}-{mid + half:.1%})",
    )
    for r in rows:
        r["code/applicability"] = f"{r['code']}/{r['applicability']}"

    def table(title: str, key: str) -> None:
        groups: dict[str, Counter[str]] = defaultdict(Counter)
        for r in rows:
            groups[r[key]][r["verdict"]] += 1
        print(f"\n{title:<14} {'n':>4} {'worse':>6} {'share':>7}")
        for g in sorted(groups):
            c = groups[g]
            t = sum(c.values())
            print(f"{g:<14} {t:>4} {c['worse']:>6} {c['worse'] / t:>7.1%}")

    table("applicability", "applicability")
    table("code", "code")
    table("code/applic.", "code/applicability")
    kinds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in worse:
        kinds[r["why"].split(":")[0].strip()].append(r)
    print("\nreasons for worse (commonest first), with an example each:")
    for kind, rs in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ex = rs[0]
        print(f"  {len(rs):>3}  {kind}  [{ex['code']}, {ex['applicability']}]")
        print(f"       before: {ex['before']}")
        print(f"       after:  {ex['after']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=None, help="JSONL of every applied edit")
    ap.add_argument("--sample", type=int, default=0, help="rows to draw for judging")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument(
        "--set",
        nargs="+",
        type=Path,
        default=None,
        help="labelled .jsonl files to fix (default: dev_a to dev_f, as the samples were drawn)",
    )
    ap.add_argument("--sample-out", type=Path, default=None)
    ap.add_argument(
        "--figures",
        nargs="*",
        type=Path,
        default=None,
        help="print figures of judged files (default: the newest, judged_unsafe_v8.jsonl;"
        " judged_unsafe.jsonl is the first sample, before clarity.fit); with --set, the"
        " verdicts of all of them (the latest file's first) carried to the edits made now",
    )
    args = ap.parse_args()
    if args.set and any(p.name == "heldout.jsonl" for p in args.set):
        ap.error("the held-out set is never fixed for reading")
    if args.figures is not None:
        paths = args.figures or [JUDGED_NEWEST]
        if args.set:  # the verdicts of censuses, carried to what clarity does now
            judged = [r for path in reversed(paths) for r in load_judged(path)]
            figures(paths[-1], carry(judged, collect(args.set)))
        else:
            for path in paths:
                figures(path)
        return
    rows = collect(args.set)
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print_counts(rows)
    if args.sample:
        sample = draw(rows, args.sample, args.seed)
        dest = args.sample_out or Path("unsafe_sample.jsonl")
        with dest.open("w", encoding="utf-8") as fh:
            for r in sample:
                fh.write(json.dumps({**r, "verdict": "", "why": ""}, ensure_ascii=False) + "\n")
        print(f"\nsample of {len(sample)} (seed {args.seed}) -> {dest}")
        print(", ".join(f"{c} {v}" for c, v in sorted(Counter(r["code"] for r in sample).items())))


if __name__ == "__main__":
    main()
