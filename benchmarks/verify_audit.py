"""Check a finished (or partly finished) audit against the engine, row by row.

Samples rows of the partitions in ``OUT/manifest.jsonl``, reads each one again from
the JSON Lines archive with clarity's ticket reader, checks it with
``Checker.check_draft`` (what ``clarity check`` runs for each draft, here with the
row's customer message) and compares the rule codes with the audit's. Also checks
that no row was written twice.

    python benchmarks/verify_audit.py /tmp/a200k.jsonl /tmp/o200k --sample 300
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import pandas as pd

import clarity
from clarity.audit.archive import INCOMING_COLUMNS
from clarity.sources import find_regions
from clarity.sources.tickets import parse_json, ticket_body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path, help="the JSON Lines archive audited")
    parser.add_argument("out", type=Path, help="the audit's --out folder")
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    lines = (args.out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    parts = sorted({json.loads(line)["partition"] for line in lines})
    drafts = pd.concat(
        pd.read_parquet(
            args.out / "drafts.parquet" / f"part-{p:05d}.parquet",
            columns=["row", "codes", "error"],
        )
        for p in parts
    )
    assert drafts["row"].is_unique, "a row was written twice"
    sample = drafts.sample(n=min(args.sample, len(drafts)), random_state=1)
    wanted = set(sample["row"])
    raw: dict[int, str] = {}
    with args.archive.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if number in wanted:
                raw[number] = line
    checker = clarity.Checker(clarity.load_config(args.archive.resolve().parent))
    differ = 0
    for row in sample.itertuples():
        obj = parse_json(raw[row.row], str(row.row), one_line=True)
        body = ticket_body(obj, str(row.row))
        incoming = next((obj[k] for k in INCOMING_COLUMNS if isinstance(obj.get(k), str)), None)
        draft = clarity.Draft(
            body.text,
            subject=body.subject,
            regions=find_regions(body.text, body.regions),
            incoming=incoming,
        )
        report = checker.check_draft(draft)
        expected = Counter(f.code for f in (*report.subject_findings, *report.findings))
        if expected != Counter((row.codes or "").split()):
            differ += 1
            print(f"row {row.row}: engine {dict(expected)}, audit {row.codes!r}")
    print(
        f"{len(drafts):,} rows in {len(parts)} partitions, none written twice; "
        f"sampled {len(sample)}: {differ} differ from Checker.check_draft"
    )


if __name__ == "__main__":
    main()
