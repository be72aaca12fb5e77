"""Speed of the check engine against the bare spaCy pipeline, measured in one run.

    python benchmarks/bench_check.py            # all figures (a few minutes)
    python benchmarks/bench_check.py --quick    # fewer repetitions

Run on demand; prints figures, asserts nothing. Every ratio compares two things
measured in this run, on the same texts, interleaved round by round (the median of
the rounds is printed), so a busy machine slows both sides alike. In-process figures
are given in wall time and in CPU time of this process (``time.process_time``), which
other work on a shared machine disturbs less. The load average is printed before and
after: figures taken with it above the number of cores are not a fair picture of an
idle machine.

The texts are the benchmark drafts (``benchmarks/data``) and the replies of the
development set (``benchmarks/quality/dev_*.jsonl``, without their customers'
messages); never the held-out set.

Figures and the ratios of issue 12's "Done when":

* throughput of ``Checker.check_many`` against the bare pipeline (the same spaCy
  model without NER: ``nlp.pipe`` over the same texts), in words per second;
* a warm ``Checker.check`` of a 150-word draft against the bare pipeline on it (p50);
* a cold ``clarity check`` of one draft (process start to exit) against
  ``python -c "import spacy"``;
* ``check_many(n_process=2)`` against one process;
* the check of the largest draft clarity accepts (200,000 characters);
* with ``--server URL``: a cold thin client, ``clarity check --server URL``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import clarity
from clarity.nlp import EXCLUDED_PIPES, resolve_model

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DRAFT = ROOT / "examples" / "draft.txt"
#: The largest draft clarity accepts (the default ``max_chars``), as the issue measures it.
BIG = "Please restart the router and try again. " * 4800


def texts() -> list[str]:
    out = [p.read_text(encoding="utf-8") for p in sorted((HERE / "data").glob("*.txt"))]
    for path in sorted((HERE / "quality").glob("dev_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["reply"])
    if not out:
        sys.exit("no benchmark texts in benchmarks/data or benchmarks/quality")
    return out


def words(text: str) -> int:
    return len(text.split())


def email_of(n_words: int, pool: list[str]) -> str:
    return " ".join(" ".join(pool).split()[:n_words])


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def cpu(func: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of ``func()`` (CPU of this process only)."""
    wall, start = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - start


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold(argv: list[str], reps: int) -> tuple[float, float]:
    """Median wall and CPU seconds of running ``argv`` as a fresh process."""
    walls, cpus = [], []
    for _ in range(reps):
        start, start_cpu = time.perf_counter(), _children_cpu()
        subprocess.run(argv, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - start_cpu)
    return statistics.median(walls), statistics.median(cpus)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def ratio_line(name: str, ratio: float, goal: float, detail: str) -> None:
    verdict = "met" if ratio >= goal else "NOT met"
    print(f"  {name:<44} {ratio:5.2f}x  (goal >= {goal}x: {verdict})  {detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--server", metavar="URL", help="also time a cold thin client")
    args = parser.parse_args()
    rounds = 3 if args.quick else 5
    import spacy

    corpus = texts()
    n_words = sum(map(words, corpus))
    checker = clarity.Checker()
    checker.check(corpus[0])  # load the pipeline, matchers, word lists and tone model
    list(checker.check_many(corpus[:64]))
    bare = spacy.load(resolve_model(), exclude=list(EXCLUDED_PIPES))
    list(bare.pipe(corpus[:64]))

    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    print(f"load average before: {load()}")
    print(f"bare pipeline: {bare.meta['lang']}_{bare.meta['name']} {bare.pipe_names}")
    print(f"clarity's:     {checker.nlp.pipe_names}")
    print(f"texts: {len(corpus)} drafts, {n_words:,} words")

    # Throughput, one process, interleaved: (wall, cpu) seconds per round.
    bare_s, many_s = [], []
    for _ in range(rounds):
        bare_s.append(cpu(lambda: list(bare.pipe(corpus, batch_size=64))))
        many_s.append(cpu(lambda: list(checker.check_many(corpus, batch_size=64))))
    bare_wps = n_words / statistics.median(w for w, _ in bare_s)
    many_wps = n_words / statistics.median(w for w, _ in many_s)
    bare_cpu_wps = n_words / statistics.median(c for _, c in bare_s)
    many_cpu_wps = n_words / statistics.median(c for _, c in many_s)

    # Warm latency of a 150-word draft, interleaved.
    email = email_of(150, corpus)
    bare_ms, check_ms = [], []
    for i in range(20 * rounds):
        variant = f"{email} Ref {i}."
        bare_ms.append(cpu(lambda: bare(variant)))  # noqa: B023
        check_ms.append(cpu(lambda: checker.check(variant)))  # noqa: B023
    bare_p50 = statistics.median(w for w, _ in bare_ms) * 1000
    check_p50 = statistics.median(w for w, _ in check_ms) * 1000
    bare_cpu_p50 = statistics.median(c for _, c in bare_ms) * 1000
    check_cpu_p50 = statistics.median(c for _, c in check_ms) * 1000
    check_p95 = sorted(w for w, _ in check_ms)[int(0.95 * (len(check_ms) - 1))] * 1000

    # Two processes against one, on a batch large enough to pay for starting them.
    batch = corpus * 2
    batch_words = n_words * 2
    one = batch_words / timed(lambda: list(checker.check_many(batch, batch_size=64)))
    two = batch_words / timed(lambda: list(checker.check_many(batch, batch_size=64, n_process=2)))

    # The largest draft.
    big_s, big_cpu = cpu(lambda: checker.check(BIG))

    # Cold start.
    exe = str(Path(sys.executable).with_name("clarity"))
    cold_reps = 3 if args.quick else 5
    spacy_s = cold([sys.executable, "-c", "import spacy"], cold_reps)
    check_s = cold([exe, "check", "--fail-on", "never", str(DRAFT)], cold_reps)
    thin_s = (
        cold([exe, "check", "--server", args.server, "--fail-on", "never", str(DRAFT)], cold_reps)
        if args.server
        else None
    )

    print(f"load average after:  {load()}")
    print()
    print("figures (median of the rounds; CPU time of this process in brackets):")
    print(f"  bare pipeline, nlp.pipe:            {bare_wps:9,.0f} words/s  ({bare_cpu_wps:,.0f})")
    print(f"  clarity check_many, 1 process:      {many_wps:9,.0f} words/s  ({many_cpu_wps:,.0f})")
    print(f"  clarity check_many, 2 processes:    {two:9,.0f} words/s  (1 process: {one:,.0f})")
    print(f"  150-word draft, bare pipeline p50:  {bare_p50:9.1f} ms  ({bare_cpu_p50:.1f} ms)")
    print(
        f"  150-word draft, warm check p50:     {check_p50:9.1f} ms  ({check_cpu_p50:.1f} ms), "
        f"p95 {check_p95:.1f} ms"
    )
    print(f"  200,000-character draft, check:     {big_s:9.2f} s  ({big_cpu:.2f} s)")
    print(f'  python -c "import spacy", cold:     {spacy_s[0]:9.2f} s  ({spacy_s[1]:.2f} s)')
    print(f"  clarity check of one draft, cold:   {check_s[0]:9.2f} s  ({check_s[1]:.2f} s)")
    if thin_s is not None:
        wall_ms, cpu_ms = thin_s[0] * 1000, thin_s[1] * 1000
        print(f"  clarity check --server, cold:       {wall_ms:9.0f} ms  ({cpu_ms:.0f} ms)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of this process:        {peak:9.0f} MiB")
    print()
    print("ratios (issue 12, 'Done when'):")
    ratio_line(
        "check_many throughput / bare pipeline",
        many_wps / bare_wps,
        1.5,
        f"(CPU time: {many_cpu_wps / bare_cpu_wps:.2f}x)",
    )
    ratio_line(
        "150-word check speed / bare pipeline",
        bare_p50 / check_p50,
        1.5,
        f"(CPU time: {bare_cpu_p50 / check_cpu_p50:.2f}x)",
    )
    ratio_line(
        "2x import spacy / cold clarity check",
        2 * spacy_s[0] / check_s[0],
        1.0,
        f"(within 2x; CPU time: {2 * spacy_s[1] / check_s[1]:.2f}x)",
    )
    ratio_line("check_many n_process=2 / n_process=1", two / one, 1.7, "")


if __name__ == "__main__":
    main()
