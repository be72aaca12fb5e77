"""Memory of ``clarity serve`` under drafts full of words it has never seen.

    python benchmarks/soak_server.py --clients 4 --minutes 10 --requests 10000
    python benchmarks/soak_server.py --quick        # a smoke test (200 requests)

Starts ``clarity serve`` on a free 127.0.0.1 port, waits for ``/healthz``, then
``--clients`` keep-alive clients post drafts to ``/v1/check`` for ``--minutes`` or
until ``--requests`` requests, whichever comes first. Every draft mixes ordinary
help-desk prose with a dozen made-up words no request repeats, the worst case for
spaCy's string store (every new word is a new string). Prints the requests, errors,
p50 / p95 latency, and the resident memory (VmRSS) of the server and its worker
processes together: after start, after ``--warmup`` requests, and at the end, with
the growth since the warm-up. Asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_server import HOST, children, free_port, percentile, rss_kib, wait_ready

PROSE = (
    "Thanks for getting in touch. I have reset your account and sent a new link to your "
    "email. Please sign in again and let me know if anything still looks wrong."
)


def unique_words(rng: random.Random, n: int) -> str:
    return " ".join(
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(6, 12))) for _ in range(n)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=200, help="requests before the baseline")
    parser.add_argument("--workers", type=int, default=2, help="clarity serve --workers")
    parser.add_argument("--quick", action="store_true", help="200 requests, 1 minute at most")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.minutes, args.warmup = 200, 1.0, 20

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLARITY_")}
    clarity = str(Path(sys.executable).with_name("clarity"))
    proc = subprocess.Popen(
        [clarity, "serve", "--port", str(port), "--workers", str(args.workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        wait_ready(port, proc)
        time.sleep(1.0)  # let every worker finish loading
        start_kib = rss_kib(proc.pid)
        print(f"processes: server {proc.pid}, workers {children(proc.pid)}")
        print(f"rss after start:  {start_kib / 1024:8.1f} MiB")

        lock = threading.Lock()
        latencies: list[float] = []
        errors = 0
        sent = 0
        baseline: list[int] = []
        deadline = time.monotonic() + 60 * args.minutes

        def client(seed: int) -> None:
            nonlocal errors, sent
            rng = random.Random(seed)
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            while time.monotonic() < deadline:
                with lock:
                    if sent >= args.requests:
                        break
                    sent += 1
                    if sent == args.warmup + 1:
                        baseline.append(rss_kib(proc.pid))
                text = f"Hi {unique_words(rng, 1)},\n\n{PROSE} {unique_words(rng, 12)}.\n\nSam"
                started = time.perf_counter()
                try:
                    conn.request(
                        "POST",
                        "/v1/check",
                        json.dumps({"text": text}),
                        {"Content-Type": "application/json"},
                    )
                    resp = conn.getresponse()
                    resp.read()
                    ok = resp.status == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
                with lock:
                    if ok:
                        latencies.append(time.perf_counter() - started)
                    else:
                        errors += 1
            conn.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
        end_kib = rss_kib(proc.pid)
        ms = [1000 * x for x in latencies]
        n = len(latencies) + errors
        print(
            f"requests {n:,}  errors {errors}  clients {args.clients}  "
            f"{n / seconds:.1f} req/s over {seconds:.0f} s  "
            f"p50 {percentile(ms, 0.5):.1f} ms  p95 {percentile(ms, 0.95):.1f} ms"
        )
        base = baseline[0] if baseline else start_kib
        print(f"rss after warm-up ({args.warmup} requests): {base / 1024:8.1f} MiB")
        print(f"rss at the end:   {end_kib / 1024:8.1f} MiB")
        print(
            f"growth since warm-up: {(end_kib - base) / 1024:+.1f} MiB; "
            f"since start: {(end_kib - start_kib) / 1024:+.1f} MiB"
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
