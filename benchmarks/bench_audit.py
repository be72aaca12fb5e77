"""Throughput of ``clarity audit`` on 1 and on 2 Dask workers, in one run, and the
memory each worker holds.

For each worker count a LocalCluster (one single-threaded process per worker) is
started and every worker loads the pipeline (a warm-up, not timed); then the same
synthetic archive (``benchmarks/make_archive.py``, each reply made distinct by a
reference line unless ``--repeats``: a worker checks a repeated reply once) is audited
and timed, report left out. Prints replies/s and words/s per run, the 2-worker /
1-worker ratio, and each worker's resident and peak memory after the run.

    python benchmarks/bench_audit.py                 # 600 replies, partitions of 50
    python benchmarks/bench_audit.py --rows 2000 --partition-size 100

The ratio only means something on an otherwise idle machine: the load average is
printed before and after each run, and first the machine's own ceiling: two
processes running pure Python arithmetic against one (a machine whose cores are
shared or throttled gets well under 2x there, and no program can do better).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_archive import rows


def _warm() -> int:
    """Load the pipeline in this worker (what the first partition would pay)."""
    import clarity
    from clarity.audit.check import checker_for

    checker_for(clarity.load_config()).check("Warm up the pipeline.")
    return os.getpid()


def _memory() -> dict[str, float]:
    import psutil

    rss = psutil.Process().memory_info().rss / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rss_mb": round(rss), "peak_mb": round(peak)}


def _spin(n: int) -> float:
    start = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - start


def cpu_ceiling(n: int = 20_000_000) -> float:
    """How much faster two processes do a fixed amount of arithmetic each than one
    does once: the most two workers can give on this machine now."""
    import multiprocessing

    one = _spin(n)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        start = time.perf_counter()
        pool.map(_spin, [n, n])
        two = time.perf_counter() - start
    return 2 * one / two


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(workers: int, archive: Path, out: Path, partition_size: int) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    import clarity

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=50,
    )
    client = Client(cluster)
    try:
        client.run(_warm)
        load_before = _load()
        start = time.perf_counter()
        result = clarity.audit(
            archive, out, client=client, partition_size=partition_size, report=False
        )
        seconds = time.perf_counter() - start
        memory = client.run(_memory)
    finally:
        client.close()
        cluster.close()
    return {
        "workers": workers,
        "replies": result.drafts,
        "words": result.words,
        "seconds": round(seconds, 2),
        "replies_per_s": round(result.drafts / seconds, 2),
        "words_per_s": round(result.words / seconds),
        "memory_per_worker": list(memory.values()),
        "load_before": load_before,
        "load_after": _load(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--partition-size", type=int, default=50)
    parser.add_argument(
        "--repeats",
        action="store_true",
        help="keep the archive's repeated replies (default: every reply made distinct)",
    )
    args = parser.parse_args()
    print(f"machine ceiling: 2 processes of pure Python = {cpu_ceiling():.2f}x one")
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive.jsonl"
        with archive.open("w", encoding="utf-8") as fh:
            for item in rows(args.rows, 3000):
                if not args.repeats:
                    # A reference line makes every reply distinct: a worker checks a
                    # reply it has seen before only once, which would flatter the
                    # figures (more in 1 worker, which sees every repeat).
                    item["reply"] = f"{item['reply']}\n\nRef. {item['ticket_id']}"
                fh.write(json.dumps(item) + "\n")
        results = [run(n, archive, Path(tmp) / f"out{n}", args.partition_size) for n in (1, 2)]
    for r in results:
        print(json.dumps(r))
    ratio = results[1]["replies_per_s"] / results[0]["replies_per_s"]
    print(f"2 workers / 1 worker: {ratio:.2f}x  (cores: {os.cpu_count()})")


if __name__ == "__main__":
    main()
