"""Speed and memory of the check engine. Run on demand; prints figures, asserts nothing.

    python benchmarks/bench_check.py            # all figures
    python benchmarks/bench_check.py --quick    # fewer repetitions

Figures printed:
* warm latency of one 150-word e-mail through ``Checker.check`` (p50 / p95);
* words per second in one process (``check`` in a loop, and ``check_many``),
  and ``check_many`` with 2 worker processes;
* cold time of one ``clarity check`` process on the example draft (median of 5);
* peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import clarity

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def drafts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((HERE / "data").glob("*.txt"))]
    if not texts:
        sys.exit("benchmarks/data/*.txt is empty")
    return texts


def words(text: str) -> int:
    return len(text.split())


def email_of(n_words: int, texts: list[str]) -> str:
    pool = " ".join(texts).split()
    return " ".join(pool[:n_words])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    reps = 3 if args.quick else 10
    texts = drafts()
    checker = clarity.Checker()
    checker.check(texts[0])  # load the pipeline and matchers

    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    print(
        f"pipeline: {checker.nlp.meta['lang']}_{checker.nlp.meta['name']} "
        f"{checker.nlp.meta['version']} pipes={checker.nlp.pipe_names}"
    )
    print(f"corpus: {len(texts)} drafts, {sum(map(words, texts)):,} words")

    email = email_of(150, texts)
    lat = []
    for i in range(20 * reps):
        t = time.perf_counter()
        checker.check(email + f" Ref {i}.")
        lat.append((time.perf_counter() - t) * 1000)
    print(
        f"warm latency, 150-word e-mail: p50 {percentile(lat, 0.5):.1f} ms, "
        f"p95 {percentile(lat, 0.95):.1f} ms  (target p50 <= 15 ms)"
    )

    batch = texts * max(1, reps // 2)
    n_words = sum(map(words, batch))
    t = time.perf_counter()
    for text in batch:
        checker.check(text)
    loop = n_words / (time.perf_counter() - t)
    t = time.perf_counter()
    for _ in checker.check_many(batch, batch_size=64):
        pass
    many = n_words / (time.perf_counter() - t)
    print(
        f"throughput, one process: check() {loop:,.0f} words/s, "
        f"check_many() {many:,.0f} words/s  (target >= 9,000)"
    )
    big = batch * 2
    t = time.perf_counter()
    for _ in checker.check_many(big, batch_size=64, n_process=2):
        pass
    multi = sum(map(words, big)) / (time.perf_counter() - t)
    print(f"throughput, check_many(n_process=2): {multi:,.0f} words/s")

    exe = Path(sys.executable).parent / "clarity"
    cold = []
    for _ in range(2 if args.quick else 5):
        t = time.perf_counter()
        subprocess.run(
            [str(exe), "check", "--fail-on", "never", str(ROOT / "examples" / "draft.txt")],
            check=True,
            capture_output=True,
        )
        cold.append(time.perf_counter() - t)
    print(
        f"cold `clarity check` of one draft: median {statistics.median(cold):.2f} s, "
        f"min {min(cold):.2f} s  (target <= 1.5 s)"
    )

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
