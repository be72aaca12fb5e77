"""End-to-end time of one ``clarity check --server`` process (the thin client), next to
a local ``clarity check``. Run on demand; prints figures, asserts nothing.

    python benchmarks/bench_client.py            # 20 runs each
    python benchmarks/bench_client.py --runs 5

Starts ``clarity serve`` on a free 127.0.0.1 port, then times whole processes, as a
mail hook would run them: ``clarity check --server URL examples/draft.txt`` (and the
same through ``clarity hook --server``), and a local ``clarity check`` for
comparison. Prints the median and the 95th percentile wall time, the median user+sys
CPU time of the client process, and where its start-up goes (``python -X importtime``:
the slowest imports, and a check that spaCy is not among them).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DRAFT = ROOT / "examples" / "draft.txt"
CLARITY = str(Path(sys.executable).with_name("clarity"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def timed(cmd: list[str], env: dict[str, str], stdin: bytes | None = None) -> tuple[float, float]:
    """Wall and CPU (user + sys) seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, input=stdin, capture_output=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def report(name: str, runs: list[tuple[float, float]]) -> None:
    walls = sorted(1000 * w for w, _ in runs)
    cpus = [1000 * c for _, c in runs]
    p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
    print(
        f"{name:<34} wall p50 {statistics.median(walls):6.0f} ms  p95 {p95:6.0f} ms  "
        f"cpu p50 {statistics.median(cpus):5.0f} ms  ({len(runs)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLARITY_")}
    server = subprocess.Popen(
        [CLARITY, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                resp = conn.getresponse()
                if resp.status == 200:
                    break
                health = json.loads(resp.read())
                if health.get("status") == "error":
                    sys.exit(f"clarity serve failed to start: {health.get('error')}")
            except OSError:
                pass
            time.sleep(0.1)
        else:
            sys.exit("clarity serve was not ready in time")
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (before)")
        remote = [CLARITY, "check", "--server", url, str(DRAFT)]
        hook = [CLARITY, "hook", "--server", url]
        for _ in range(2):  # warm the file cache
            timed(remote, env)
        report("clarity check --server", [timed(remote, env) for _ in range(args.runs)])
        data = DRAFT.read_bytes()
        report("clarity hook --server", [timed(hook, env, data) for _ in range(args.runs)])
        version = [timed([CLARITY, "--version"], env) for _ in range(args.runs)]
        report("clarity --version (start-up only)", version)
        local = [timed([CLARITY, "check", str(DRAFT)], env) for _ in range(max(3, args.runs // 4))]
        report("clarity check (local, loads spaCy)", local)
        imports = subprocess.run(
            [
                *(sys.executable, "-X", "importtime", "-m", "clarity"),
                "check",
                "--server",
                url,
                str(DRAFT),
            ],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stderr
        rows = []
        for line in imports.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[1].strip().isdigit():
                rows.append((int(parts[1]), parts[2].rstrip()))
        top = [r for r in rows if not r[1].startswith("  ")]  # top-level imports
        top.sort(reverse=True)
        print("slowest top-level imports of the thin client (cumulative):")
        for us, name in top[:6]:
            print(f"  {us / 1000:6.1f} ms  {name.strip()}")
        heavy = [name.strip() for _, name in rows if name.strip() in ("spacy", "thinc", "numpy")]
        print(f"spaCy / thinc / numpy imported by the thin client: {heavy or 'none'}")
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (after)")
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
