"""How long the service needs after a check runs over its time limit.

    python benchmarks/bench_worker_replacement.py

Starts ``clarity serve --timeout 2`` with one and with two workers, sends a 190,000-
character draft (longer than 2 s to check: it gets 503 and its worker is killed and
replaced), then two-word drafts until one is answered, and prints how long that took.
With one worker that is the time to start a new worker (load the pipeline); with two,
the other worker answers at once. Prints figures; asserts nothing.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_server import HOST, free_port, wait_ready


def post(port: int, body: dict[str, Any], timeout: float = 120) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("POST", "/v1/check", json.dumps(body), {"Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def main() -> None:
    big = ("Please flush your DNS cache and restart the router. " * 4000)[:190_000]
    for workers in (1, 2):
        port = free_port()
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "clarity", "serve", "--port", str(port)),
                *("--workers", str(workers), "--timeout", "2"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(port, proc)
            started = time.monotonic()
            status = post(port, {"text": big})
            over = time.monotonic()
            while post(port, {"text": "Thanks, Sam."}) != 200:
                pass
            print(
                f"{workers} worker(s): the long draft got {status} after "
                f"{over - started:.1f} s; the next two-word draft was answered "
                f"{time.monotonic() - over:.2f} s later"
            )
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
