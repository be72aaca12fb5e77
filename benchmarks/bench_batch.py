"""Throughput of batch mode: words per second with 1 and 2 worker processes, peak memory.

    python benchmarks/bench_batch.py                 # 2,000 e-mails, 1 and 2 processes
    python benchmarks/bench_batch.py --emails 5000 --jobs 1 2 4

It builds a batch of realistic e-mails from ``benchmarks/data/draft_*.txt``: each is a
reply (greeting, body, sign-off) with, at random but reproducibly, a signature block,
a device line, a legal disclaimer and quoted history in the style of Gmail, Outlook or
Apple Mail (sometimes two levels deep). The batch is written as JSON Lines to a
temporary folder and checked by :func:`clarity.batch.run_batch`, exactly what
``clarity check --format jsonl --jobs N FILE`` does, each run in a fresh interpreter
(so every run pays for loading the pipeline, as a user does). Printed for each run:

* wall time, records and words per second: *input* words (the whole e-mail, quoted
  history included) and *own* words (outside quoted history, signatures and code:
  what the readability figures count);
* CPU seconds of the parent and of the workers, and the speed-up they allow on free
  cores: a run on N idle cores takes at least max(parent CPU, workers' CPU / N). Wall
  time depends on what else the machine runs; this bound does not;
* peak resident memory of the parent process (``RUSAGE_SELF``) and of the largest
  worker (``RUSAGE_CHILDREN``). Forked workers share the parent's pages, which their
  resident size counts too, so the figures are not additive.

The target is 2 processes >= 1.7x one process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

NAMES = ["Maria Lopez", "Tom Baker", "Priya Shah", "Jonas Weber", "Lena Novak", "Ahmed Khan"]
AGENTS = ["Sam Lee", "Helen Marsh", "Raj Patel", "Kim Park", "Ana Costa", "Dave Müller"]
TOPICS = [
    "VPN keeps dropping",
    "Password reset",
    "Printer on 2nd floor",
    "Laptop replacement",
    "Mailbox almost full",
    "MFA set-up",
    "Wi-Fi in meeting room 4",
    "Files after the migration",
    "ACCOUNT LOCKED - URGENT",
]
DEVICES = ["Sent from my iPhone", "Get Outlook for Android", "Sent from my Galaxy"]
DISCLAIMER = (
    "This e-mail and any attachments are confidential and intended solely for the use of "
    "the addressee. If you have received this e-mail in error, please notify the sender "
    "and delete it."
)


def drafts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((HERE / "data").glob("draft_*.txt"))]
    if not texts:
        sys.exit("benchmarks/data/draft_*.txt is empty")
    return texts


def _quote(text: str, depth: int = 1) -> str:
    mark = ">" * depth
    return "\n".join(f"{mark} {line}" if line.strip() else mark for line in text.split("\n"))


def _history(rng: random.Random, texts: list[str]) -> str:
    who = rng.choice(NAMES)
    email = who.lower().replace(" ", ".") + "@example.com"
    earlier = rng.choice(texts).strip()
    style = rng.choice(["gmail", "outlook", "apple", "nested"])
    if style == "gmail":
        return f"On Mon, 3 Jun 2024 at 10:15, {who} <{email}> wrote:\n\n{_quote(earlier)}"
    if style == "apple":
        head = f"On 3 Jun 2024, at 10:15, {who} <{email}> wrote:"
        return _quote(f"{head}\n\n{earlier}")
    if style == "outlook":
        return (
            "________________________________\n"
            f"From: {who} <{email}>\nSent: Monday, June 3, 2024 10:15 AM\n"
            f"To: Service Desk <servicedesk@example.com>\nSubject: {rng.choice(TOPICS)}\n\n"
            f"{earlier}"
        )
    older = rng.choice(texts).strip()
    return (
        f"On Mon, 3 Jun 2024 at 10:15, {who} <{email}> wrote:\n\n{_quote(earlier)}\n>\n"
        f"> On Fri, 31 May 2024 at 16:40, Service Desk <servicedesk@example.com> wrote:\n>\n"
        f"{_quote(older, 2)}"
    )


def make_email(rng: random.Random, texts: list[str]) -> dict[str, str]:
    agent = rng.choice(AGENTS)
    parts = [rng.choice(texts).strip()]
    if rng.random() < 0.5:
        parts.append(f"-- \n{agent}\nIT Service Desk, Acme Corp\n+1 555 01{rng.randint(10, 99)}")
    if rng.random() < 0.25:
        parts.append(rng.choice(DEVICES))
    if rng.random() < 0.3:
        parts.append(DISCLAIMER)
    if rng.random() < 0.8:
        parts.append(_history(rng, texts))
    prefix = rng.choice(["", "Re: ", "RE: ", "Re: Re: ", "RE: FW: "])
    return {"subject": prefix + rng.choice(TOPICS), "body": "\n\n".join(parts) + "\n"}


def write_batch(path: Path, n: int, seed: int = 2024) -> int:
    rng = random.Random(seed)
    texts = drafts()
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            record = {"id": i + 1, **make_email(rng, texts)}
            words += len(record["body"].split())
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return words


RUNNER = r"""
import json, resource, sys, time, os
from clarity.batch import BatchOptions, run_batch
path, jobs = sys.argv[1], int(sys.argv[2])
options = BatchOptions(fmt="jsonl", jobs=jobs, fail_on=None, quiet=True, progress=False)
own = 0
class Sink:
    def write(self, s):
        global own
        for line in s.splitlines():
            data = json.loads(line)
            if "readability" in data:
                own += data["readability"]["words"]
    def flush(self):
        pass
t = time.perf_counter()
code = run_batch([path], options, out=Sink(), err=sys.stderr)
elapsed = time.perf_counter() - t
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "exit": code,
    "seconds": elapsed,
    "own_words": own,
    "parent_mib": me.ru_maxrss / 1024,
    "children_mib": kids.ru_maxrss / 1024,
    "parent_cpu": me.ru_utime + me.ru_stime,
    "children_cpu": kids.ru_utime + kids.ru_stime,
}))
"""


def run(path: Path, jobs: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(path), str(jobs)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"run with --jobs {jobs} failed:\n{proc.stderr[-2000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--emails", type=int, default=2000, help="e-mails in the batch")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="process counts")
    args = parser.parse_args()
    if args.emails < 1:
        sys.exit("--emails must be positive")
    print(
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.jsonl"
        words = write_batch(path, args.emails)
        size = path.stat().st_size / 1024 / 1024
        print(f"batch: {args.emails:,} e-mails, {words:,} words, {size:.1f} MiB of JSON Lines")
        base = base_cpu = None
        for jobs in args.jobs:
            r = run(path, jobs)
            rate = words / r["seconds"]
            base = base or rate
            # On N free cores a run takes at least max(parent CPU, workers' CPU / N): the
            # speed-up this bound gives does not depend on what else the machine runs.
            bound = max(r["parent_cpu"], r["children_cpu"] / jobs)
            base_cpu = base_cpu or bound
            print(
                f"--jobs {jobs}: {r['seconds']:.1f} s, {args.emails / r['seconds']:,.0f} "
                f"e-mails/s, {rate:,.0f} input words/s ({r['own_words'] / r['seconds']:,.0f} "
                f"own words/s), x{rate / base:.2f}; CPU parent {r['parent_cpu']:.1f} s + "
                f"workers {r['children_cpu']:.1f} s, x{base_cpu / bound:.2f} on free cores; "
                f"peak memory parent {r['parent_mib']:.0f} MiB, largest worker "
                f"{r['children_mib']:.0f} MiB"
            )
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this script's own peak: {self_peak:.0f} MiB; time {time.process_time():.1f} s CPU)")


if __name__ == "__main__":
    main()
