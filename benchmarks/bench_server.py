"""The service under load, on loopback. Run on demand; prints figures, asserts nothing.

    python benchmarks/bench_server.py                 # all phases (a few minutes)
    python benchmarks/bench_server.py --quick         # small counts, for a smoke test

Starts ``clarity serve`` on a free 127.0.0.1 port in its own process, waits for
``/healthz``, then drives it from this process with keep-alive HTTP clients (one
thread each; every request and every loop is bounded in count and in time):

0. *2 words*: one client sending a two-word text: what HTTP, JSON and the hop to a
   worker process cost, with next to no checking;
1. *sequential*: one client, one request at a time;
2. *concurrent*: ``--clients`` clients at once (default 16);
3. *beside a long draft*: one client sends two-word texts while a 180 KB draft is
   being checked by another worker (the service must not make short drafts wait for
   long ones);
4. *soak*: ``--soak`` requests (default 10,000) at ``--clients`` clients, reading the
   server's resident memory (VmRSS of /proc/PID/status) before and after.

Each request sends a 150-word draft (benchmarks/data, a different greeting name each
time, so no two texts are alike) to ``--endpoint`` (``/v1/check`` by default). For
each phase: requests, errors (any status but 200, or a failed connection),
throughput, and p50 / p95 / p99 latency. The machine's load average is printed
before and after, since other work on the machine skews every figure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"  # loopback only


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def draft_150() -> str:
    pool = " ".join(p.read_text(encoding="utf-8") for p in sorted((HERE / "data").glob("*.txt")))
    return " ".join(pool.split()[:147])


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and its child processes (the check workers), in KiB."""
    total = 0
    for one in [pid, *children(pid)]:
        try:
            lines = Path(f"/proc/{one}/status").read_text().splitlines()
        except OSError:
            continue
        total += sum(int(x.split()[1]) for x in lines if x.startswith("VmRSS:"))
    return total


def children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (children of any of its threads: the service starts
    its worker processes from a thread)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += map(int, (task / "children").read_text().split())
        except OSError:
            continue
    out = []
    for child in sorted(set(found)):
        out += [child, *children(child)]
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


@dataclass
class Phase:
    name: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def line(self) -> str:
        n = len(self.latencies) + self.errors
        ms = [1000 * x for x in self.latencies]
        return (
            f"{self.name:<10} clients {self.clients:>2}  requests {n:>6,}  errors {self.errors}  "
            f"{n / self.seconds if self.seconds else 0:7.1f} req/s  "
            f"p50 {percentile(ms, 0.50):6.1f} ms  p95 {percentile(ms, 0.95):6.1f} ms  "
            f"p99 {percentile(ms, 0.99):6.1f} ms"
        )


def drive(
    port: int, path: str, text: str, phase: Phase, total: int, deadline: float, tiny: bool = False
) -> None:
    """``total`` requests from ``phase.clients`` threads, stopping at ``deadline``;
    ``tiny``: a two-word text, to measure what HTTP, JSON and the thread hop cost."""
    counter = iter(range(total))
    counter_lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with counter_lock:
                i = next(counter, None)
            if i is None:
                break
            draft = f"Thanks, Sam{i}." if tiny else f"Hi Sam{i},\n\n{text}\n\nBest wishes,\nAlex"
            body = json.dumps({"text": draft})
            started = time.perf_counter()
            try:
                conn.request("POST", path, body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            elapsed = time.perf_counter() - started
            with phase.lock:
                if ok:
                    phase.latencies.append(elapsed)
                else:
                    phase.errors += 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(phase.clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase.seconds = time.perf_counter() - started


def beside_a_long_draft(port: int, path: str, count: int) -> Phase:
    """Two-word requests, one at a time, while a 180 KB draft is being checked."""
    big = ("Please flush your DNS cache and restart the router. " * 4000)[:180_000]
    done = threading.Event()

    def long_request() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=600)
        try:
            conn.request(
                "POST", path, json.dumps({"text": big}), {"Content-Type": "application/json"}
            )
            conn.getresponse().read()
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
            done.set()

    thread = threading.Thread(target=long_request)
    thread.start()
    time.sleep(1.0)  # the long draft is with a worker by now
    phase = Phase("beside 180 KB", 1)
    drive(port, path, "", phase, count, time.monotonic() + 600, tiny=True)
    if done.is_set():
        print("(the long draft finished before the short ones: figures not meaningful)")
    thread.join()
    return phase


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 180.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            sys.exit("clarity serve exited before it was ready")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            if resp.status == 200:
                return time.monotonic() - started
            health = json.loads(resp.read())
            if health.get("status") == "error":
                sys.exit(f"clarity serve failed to start: {health.get('error')}")
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("clarity serve was not ready in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts (a smoke test)")
    parser.add_argument("--endpoint", choices=["check", "presend"], default="check")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--sequential", type=int, default=300, help="requests, one client")
    parser.add_argument("--concurrent", type=int, default=1600, help="requests, --clients")
    parser.add_argument("--soak", type=int, default=10_000, help="requests for memory")
    parser.add_argument("--max-seconds", type=float, default=900, help="per phase")
    parser.add_argument("--workers", type=int, default=2, help="clarity serve --workers")
    args = parser.parse_args()
    if args.quick:
        args.sequential, args.concurrent, args.soak = 20, 64, 0
    text = draft_150()
    path = f"/v1/{args.endpoint}"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "CLARITY_TOKEN"}
    log = open(os.devnull, "wb")  # noqa: SIM115 - for the server's lifetime
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "clarity", "serve", "--host", HOST),
            *("--port", str(port), "--workers", str(args.workers)),
        ],
        stdout=log,
        stderr=log,
        env=env,
    )
    try:
        ready = wait_ready(port, proc)
        print(
            f"python {platform.python_version()} · {os.cpu_count()} cores · "
            f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (before)"
        )
        print(
            f"POST {path} · {len(text.split()) + 4} words per draft · {args.workers} "
            f"worker process(es) · ready in {ready:.1f} s"
        )
        warm = Phase("warm-up", 1)
        drive(port, path, text, warm, 30 * args.workers, time.monotonic() + args.max_seconds)
        overhead = Phase("2 words", 1)
        tiny = 20 if args.quick else 200
        drive(port, path, text, overhead, tiny, time.monotonic() + args.max_seconds, tiny=True)
        print(overhead.line(), flush=True)
        phases = [Phase("sequential", 1), Phase("concurrent", args.clients)]
        for phase, count in zip(phases, (args.sequential, args.concurrent), strict=True):
            drive(port, path, text, phase, count, time.monotonic() + args.max_seconds)
            print(phase.line(), flush=True)
        if args.workers >= 2:
            print(beside_a_long_draft(port, path, 20 if args.quick else 100).line(), flush=True)
        if args.soak:
            before = rss_kib(proc.pid)
            soak = Phase("soak", args.clients)
            drive(port, path, text, soak, args.soak, time.monotonic() + args.max_seconds)
            after = rss_kib(proc.pid)
            print(soak.line())
            print(
                f"server RSS {before / 1024:.1f} MiB before the soak, {after / 1024:.1f} MiB "
                f"after {len(soak.latencies) + soak.errors:,} requests "
                f"({(after - before) / 1024:+.1f} MiB)"
            )
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (after)")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


if __name__ == "__main__":
    main()
