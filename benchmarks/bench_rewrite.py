"""What rewriting buys: grade level and findings before and after `clarity fix`.

    python benchmarks/bench_rewrite.py

Over the drafts in benchmarks/data/, prints the average Flesch-Kincaid grade, reading
ease, score and number of findings (all, and warnings) before rewriting, after safe
fixes (`clarity fix`) and after unsafe fixes too (`clarity fix --unsafe`).
"""

from __future__ import annotations

import statistics
from pathlib import Path

import clarity

HERE = Path(__file__).resolve().parent


def summary(reports: list[clarity.Report]) -> str:
    grade = statistics.mean(r.readability.grade for r in reports)
    ease = statistics.mean(r.readability.reading_ease for r in reports)
    score = statistics.mean(r.score for r in reports)
    findings = statistics.mean(len(r.findings) for r in reports)
    warnings = statistics.mean(r.counts()["warning"] for r in reports)
    return (
        f"grade {grade:5.1f} | reading ease {ease:5.1f} | score {score:5.1f} | "
        f"findings {findings:5.1f} | warnings {warnings:5.1f}"
    )


def main() -> None:
    paths = sorted((HERE / "data").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    checker = clarity.Checker()
    before = [checker.check(t) for t in texts]
    safe = [checker.fix(t) for t in texts]
    unsafe = [checker.fix(t, unsafe=True) for t in texts]
    print(f"{len(texts)} drafts, {sum(len(t.split()) for t in texts):,} words (averages per draft)")
    print(f"before         {summary(before)}")
    print(f"safe fixes     {summary([r.report for r in safe])}")
    print(f"unsafe fixes   {summary([r.report for r in unsafe])}")
    applied_safe = statistics.mean(len(r.applied) for r in safe)
    applied_unsafe = statistics.mean(len(r.applied) for r in unsafe)
    changed = sum(r.changed for r in safe)
    print(
        f"fixes applied per draft: {applied_safe:.1f} safe, {applied_unsafe:.1f} with --unsafe; "
        f"{changed}/{len(texts)} drafts changed by safe fixes"
    )


if __name__ == "__main__":
    main()
