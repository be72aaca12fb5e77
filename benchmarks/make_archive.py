"""A synthetic ticket archive for ``clarity audit``: many rows from a few thousand
distinct replies.

The pool of real replies is the development sets of the quality benchmark
(``benchmarks/quality/dev_*.jsonl``: reply and customer message), the drafts in
``examples/`` and ``tests/data`` (never ``heldout.jsonl``). Distinct replies are
made from them by changing the greeting's name and, for some, adding a paragraph of
another reply before the sign-off; each row then picks one of the distinct replies
(with its customer message when it has one), an agent, a team and a date over a year.

    python benchmarks/make_archive.py --rows 200000 --out /tmp/archive.jsonl
    python benchmarks/make_archive.py --rows 5000 --out /tmp/archive.parquet
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = (
    "Maria",
    "Sam",
    "Priya",
    "Tom",
    "Aisha",
    "Jonas",
    "Li",
    "Carmen",
    "Omar",
    "Eve",
    "Ravi",
    "Hannah",
    "Kofi",
    "Ines",
    "Yuki",
    "Peter",
    "Zoe",
    "Mateo",
    "Nora",
    "Ali",
)
AGENTS = [f"agent-{n:02d}" for n in range(1, 41)]
TEAMS = ("service desk", "networks", "identity", "endpoints", "applications")
GREETING = re.compile(r"^(Hi|Hello|Dear|Hey)\s+[A-Z][a-z]+", re.MULTILINE)


def pool() -> list[tuple[str, str | None]]:
    """(reply, customer message or None) of every real reply we may use."""
    out: list[tuple[str, str | None]] = []
    for path in sorted((ROOT / "benchmarks" / "quality").glob("dev_*.jsonl")):
        assert "heldout" not in path.name
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                out.append((item["reply"], item.get("customer") or None))
    for folder in (
        ROOT / "examples",
        ROOT / "tests" / "data" / "drafts",
        ROOT / "tests" / "data" / "plain_replies",
    ):
        for path in sorted(folder.glob("*")):
            if path.suffix in (".txt", ".md") and path.is_file():
                out.append((path.read_text(encoding="utf-8"), None))
    return out


def distinct(
    base: list[tuple[str, str | None]], n: int, rng: random.Random
) -> list[tuple[str, str | None]]:
    """``n`` distinct replies made from ``base``."""
    seen: set[str] = set()
    out: list[tuple[str, str | None]] = []
    paragraphs = [p for text, _ in base for p in text.split("\n\n")[1:-1] if len(p.split()) > 8]
    for reply, customer in base:  # the originals first
        if reply not in seen:
            seen.add(reply)
            out.append((reply, customer))
    while len(out) < n:
        reply, customer = rng.choice(base)
        name = rng.choice(NAMES)
        text = GREETING.sub(rf"\g<1> {name}", reply, count=1)
        if rng.random() < 0.6 and paragraphs:
            parts = text.split("\n\n")
            at = max(1, len(parts) - 1)
            parts.insert(at, rng.choice(paragraphs))
            text = "\n\n".join(parts)
        if text not in seen:
            seen.add(text)
            out.append((text, customer))
    return out


def rows(count: int, distinct_count: int, seed: int = 13) -> list[dict[str, object]]:
    rng = random.Random(seed)
    replies = distinct(pool(), distinct_count, rng)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    out = []
    for i in range(count):
        reply, customer = replies[rng.randrange(len(replies))]
        when = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        out.append(
            {
                "ticket_id": f"T{i + 1:07d}",
                "created_at": when.isoformat(),
                "agent": rng.choice(AGENTS),
                "team": rng.choice(TEAMS),
                "customer": customer,
                "reply": reply,
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--distinct", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, required=True, help=".jsonl, .csv or .parquet")
    args = parser.parse_args()
    data = rows(args.rows, args.distinct, args.seed)
    suffix = args.out.suffix.lower()
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(data), args.out, row_group_size=10_000)
    elif suffix == ".csv":
        with args.out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(data[0]))
            writer.writeheader()
            writer.writerows(data)
    else:
        with args.out.open("w", encoding="utf-8") as fh:
            for item in data:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    words = sum(len(str(r["reply"]).split()) for r in data)
    print(
        f"wrote {len(data):,} rows ({args.distinct:,} distinct replies, {words:,} words) "
        f"to {args.out}"
    )


if __name__ == "__main__":
    main()
