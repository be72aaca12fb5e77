"""The output folder of an audit: per-partition Parquet files and a manifest.

::

    OUT/drafts.parquet/part-00042.parquet     one row per reply (a Parquet dataset)
    OUT/findings.parquet/part-00042.parquet   one row per finding
    OUT/manifest.jsonl                        the run's fingerprint, then one line per
                                              partition written
    OUT/report.html

A partition's two files are written under temporary names and renamed into place;
only then is its manifest line appended (and flushed to disk). A run killed at any
point leaves either a finished partition (in the manifest, both files complete) or
one that ``--resume`` checks again and overwrites under the same names: nothing is
lost and nothing is counted twice. Files of partitions not in the manifest are
ignored when reading.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clarity.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

__all__ = ["Store"]

MANIFEST = "manifest.jsonl"
TABLES = ("drafts", "findings")


class Store:
    """The output folder ``out`` of the run with ``fingerprint``."""

    def __init__(self, out: Path, fingerprint: dict[str, Any], resume: bool) -> None:
        self.out = out
        self.fingerprint = fingerprint
        self.manifest = out / MANIFEST
        self.done: dict[int, dict[str, Any]] = {}
        if self.manifest.exists():
            if not resume:
                raise InputError(
                    f"{out} holds an earlier audit; pass --resume to finish it, or choose "
                    "another --out"
                )
            self._load()
        else:
            if out.exists() and not out.is_dir():
                raise InputError(f"{out}: exists and is not a folder")
            for table in TABLES:
                (out / f"{table}.parquet").mkdir(parents=True, exist_ok=True)
            self._append({"fingerprint": fingerprint})

    def _load(self) -> None:
        lines = self.manifest.read_text(encoding="utf-8").splitlines()
        try:
            first = json.loads(lines[0]) if lines else {}
        except json.JSONDecodeError:
            first = {}
        if first.get("fingerprint") != self.fingerprint:
            raise InputError(
                f"{self.out}: the archives or settings changed since this audit started; "
                "run it again without --resume into another --out"
            )
        for line in lines[1:]:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a kill: that partition is done again
            if isinstance(entry, dict) and isinstance(entry.get("partition"), int):
                self.done[entry["partition"]] = entry
        for table in TABLES:
            (self.out / f"{table}.parquet").mkdir(parents=True, exist_ok=True)

    def _append(self, entry: dict[str, Any]) -> None:
        with self.manifest.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def part(self, table: str, partition: int) -> Path:
        return self.out / f"{table}.parquet" / f"part-{partition:05d}.parquet"

    def write(self, partition: int, drafts: pa.Table, findings: pa.Table) -> dict[str, Any]:
        """Write a partition's tables, then record it as done."""
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        for table, data in (("drafts", drafts), ("findings", findings)):
            final = self.part(table, partition)
            tmp = final.with_name(f".{final.name}.tmp")
            pq.write_table(data, tmp)
            os.replace(tmp, final)
        readable = drafts.column("error").null_count
        entry = {
            "partition": partition,
            "drafts": drafts.num_rows,
            "bad": drafts.num_rows - readable,
            "findings": findings.num_rows,
            "words": int(sum(w for w in drafts.column("words").to_pylist() if w is not None)),
        }
        self._append(entry)
        self.done[partition] = entry
        return entry

    def parts(self, table: str) -> list[Path]:
        """The files of ``table`` of finished partitions, in partition order."""
        return [self.part(table, p) for p in sorted(self.done)]

    def clean(self) -> None:
        """Remove files of partitions not in the manifest (left by a killed run)."""
        for table in TABLES:
            for path in (self.out / f"{table}.parquet").glob("*"):
                name = path.name
                stem = name.removeprefix("part-").removesuffix(".parquet")
                if name.startswith(".") or not stem.isdigit() or int(stem) not in self.done:
                    path.unlink(missing_ok=True)
