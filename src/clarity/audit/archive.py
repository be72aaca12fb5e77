"""Ticket archives read as partitions of rows: CSV, JSON Lines and Parquet.

An audit needs more of each record than ``clarity check`` does (the agent, the team,
when it was sent, the customer's message), so it reads archives as tables; the draft
of each record is made exactly as :func:`clarity.sources.read` makes it:

* the reply is picked by the same rules: the column named by ``text`` (``--column``),
  or the first of :data:`clarity.sources.tables.TEXT_COLUMNS` (``body``, ``text``,
  ``draft``, ``reply``, ``message``...); a JSON Lines record goes through
  :func:`clarity.sources.tickets.ticket_body`, so help-desk exports (Zendesk,
  Freshdesk...) work as in batch mode;
* the body is :func:`clarity.sources.tickets.as_body` (HTML rendered, unencodable
  characters replaced), its regions :func:`clarity.sources.find_regions`, found on
  the worker.

A record that cannot be read (a CSV row with the wrong number of fields, a JSON
Lines line that is not JSON, a reply cell that is empty or not text) becomes a row
with an ``error``: counted and listed, never fatal. Rows are cut into partitions of
``partition_size`` records, numbered across all archives in order, so the same
archive and size always give the same partitions (what ``--resume`` relies on).
Reading streams: at most one partition is held at a time.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clarity.draft import clean_text
from clarity.errors import InputError
from clarity.sources.document import BadRecord, Body
from clarity.sources.tables import (
    ID_COLUMNS,
    SUBJECT_COLUMNS,
    TEXT_COLUMNS,
    json_lines,
    open_csv,
)
from clarity.sources.tickets import INCOMING_KEYS, as_body, ticket_body

__all__ = [
    "AGENT_COLUMNS",
    "ARCHIVE_KINDS",
    "CREATED_COLUMNS",
    "INCOMING_COLUMNS",
    "TEAM_COLUMNS",
    "Columns",
    "Partition",
    "archive_kind",
    "iter_partitions",
    "iter_rows",
    "pick_columns",
    "row_from_mapping",
]

#: Extensions read as archives, and their kind.
ARCHIVE_KINDS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
#: Columns detected (first match, case-insensitive) when no option names them.
INCOMING_COLUMNS = INCOMING_KEYS
AGENT_COLUMNS = ("agent", "agent_name", "author", "assignee")
TEAM_COLUMNS = ("team", "group", "queue")
CREATED_COLUMNS = ("created_at", "created", "sent_at", "date", "timestamp")
#: The columns a row carries besides its text (all kept as strings).
KEPT = ("ticket_id", "agent", "team", "created_at")


@dataclass(frozen=True)
class Columns:
    """The column names given by options; ``None``: detected."""

    text: str | None = None
    incoming: str | None = None
    agent: str | None = None
    team: str | None = None
    created_at: str | None = None
    ticket_id: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class Partition:
    """Rows of one archive, ``index`` counted across all archives."""

    index: int
    path: str
    rows: list[dict[str, Any]]


def archive_kind(path: str) -> str:
    """The kind of an archive by its extension; InputError when it is not one."""
    kind = ARCHIVE_KINDS.get(Path(path).suffix.lower())
    if kind is None:
        known = ", ".join(sorted(ARCHIVE_KINDS))
        raise InputError(f"{path}: not an archive clarity audits (extensions: {known})")
    return kind


def _find(names: Sequence[str], wanted: str | None, candidates: Sequence[str]) -> str | None:
    """The name in ``names`` matching ``wanted`` (or else the first candidate)."""
    lowered = {n.strip().lower(): n for n in names}
    for name in (wanted,) if wanted is not None else candidates:
        if name is not None and name.strip().lower() in lowered:
            return lowered[name.strip().lower()]
    return None


@dataclass(frozen=True)
class Picked:
    """The column names found in a table for each thing an audit reads."""

    text: str | None
    subject: str | None
    incoming: str | None
    kept: dict[str, str | None]


def pick_columns(names: Sequence[str], columns: Columns, path: str, *, need_text: bool) -> Picked:
    """The columns of a table with ``names``; InputError for a named column missing."""
    found: dict[str, str | None] = {}
    for key, candidates in (
        ("incoming", INCOMING_COLUMNS),
        ("agent", AGENT_COLUMNS),
        ("team", TEAM_COLUMNS),
        ("created_at", CREATED_COLUMNS),
        ("ticket_id", ID_COLUMNS),
        ("subject", SUBJECT_COLUMNS),
    ):
        wanted = getattr(columns, key)
        found[key] = _find(names, wanted, candidates)
        if wanted is not None and found[key] is None:
            raise InputError(f"{path}: no column {wanted!r} (columns: {', '.join(names)})")
    text = _find(names, columns.text, TEXT_COLUMNS)
    if need_text and text is None:
        what = f"no column {columns.text!r}" if columns.text else "no text column found"
        shown = ", ".join(n for n in names if n) or "none"
        raise InputError(f"{path}: {what} (columns: {shown}); name one with --column")
    return Picked(
        text,
        found["subject"],
        found["incoming"],
        {k: found[k] for k in KEPT},
    )


def _str(value: Any) -> str | None:
    """A kept cell as text; missing (None, NaN) as None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _row(
    number: int,
    source: str,
    body: Body | None,
    record: Mapping[str, Any] | None,
    picked: Picked | None,
    error: str | None = None,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "row": number,
        "source": source,
        "text": None,
        "subject": None,
        "found": (),
        "incoming": None,
        "error": error,
    }
    for key in KEPT:
        row[key] = None
    if record is not None and picked is not None:
        for key, name in picked.kept.items():
            row[key] = _str(record.get(name)) if name is not None else None
        if picked.incoming is not None:
            incoming = record.get(picked.incoming)
            row["incoming"] = incoming if isinstance(incoming, str) and incoming.strip() else None
    if body is not None:
        row["text"] = body.text
        row["subject"] = body.subject
        row["found"] = tuple((r.start, r.end, r.kind) for r in body.regions)
        if row["ticket_id"] is None and body.meta.get("ticket_id") is not None:
            row["ticket_id"] = str(body.meta["ticket_id"])
    return row


def row_from_mapping(
    number: int, source: str, record: Mapping[str, Any], picked: Picked
) -> dict[str, Any]:
    """The row of a flat record (a CSV row, a Parquet row, a dataframe row)."""
    assert picked.text is not None
    text = record.get(picked.text)
    if not isinstance(text, str) or not text.strip():
        what = "empty" if text is None or isinstance(text, str) else type(text).__name__
        return _row(number, source, None, record, picked, f"{source}: the reply is {what}")
    subject = record.get(picked.subject) if picked.subject is not None else None
    try:
        body = as_body(text, subject, {"format": "table"})
    except InputError as exc:
        return _row(number, source, None, record, picked, f"{source}: {exc}")
    return _row(number, source, body, record, picked)


def _bad_row(bad: BadRecord) -> dict[str, Any]:
    """The row of a record the reader could not read (its source ends in its number:
    "replies.csv:row 7", "replies.jsonl:line 7")."""
    return _row(int(bad.source.rsplit(" ", 1)[-1]), bad.source, None, None, None, str(bad))


def _iter_csv(path: str, columns: Columns, encoding: str | None) -> Iterator[dict[str, Any]]:
    # The one CSV reader (clarity.sources.tables), keeping every column of a row; a byte
    # not valid in the encoding becomes U+FFFD, as in any draft.
    with open_csv(Path(path), encoding) as (header, rows):
        picked = pick_columns(header, columns, path, need_text=True)
        for item in rows:
            if isinstance(item, BadRecord):
                yield _bad_row(item)
                continue
            record = {h: clean_text(f)[0] for h, f in zip(header, item.fields, strict=True)}
            yield row_from_mapping(item.row, f"{path}:row {item.row}", record, picked)


def _iter_jsonl(path: str, columns: Columns, encoding: str | None) -> Iterator[dict[str, Any]]:
    # The one JSON Lines reader (clarity.sources.tables), keeping the whole record.
    for item in json_lines(Path(path), encoding):
        if isinstance(item, BadRecord):
            yield _bad_row(item)
            continue
        line, obj = item
        source = f"{path}:line {line}"
        try:
            body = ticket_body(obj, source, columns.text)
        except InputError as exc:
            yield _row(line, source, None, None, None, str(exc))
            continue
        record = obj if isinstance(obj, Mapping) else {}
        picked = (
            pick_columns(
                list(record),
                Columns(**{**columns.__dict__, "text": None}),
                path,
                need_text=False,
            )
            if record
            else None
        )
        yield _row(line, source, body, record, picked)


def _iter_parquet(path: str, columns: Columns, batch: int) -> Iterator[dict[str, Any]]:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    names = list(pf.schema_arrow.names)
    picked = pick_columns(names, columns, path, need_text=True)
    wanted = [
        n
        for n in (picked.text, picked.subject, picked.incoming, *picked.kept.values())
        if n is not None
    ]
    number = 0
    for record_batch in pf.iter_batches(batch_size=batch, columns=list(dict.fromkeys(wanted))):
        for record in record_batch.to_pylist():
            number += 1
            yield row_from_mapping(number, f"{path}:row {number}", record, picked)


def iter_rows(
    path: str, columns: Columns, encoding: str | None = None, batch: int = 1000
) -> Iterator[dict[str, Any]]:
    """Every row of the archive ``path``, streamed."""
    if not os.path.isfile(path):
        raise InputError(
            f"{path}: no such file" if not os.path.exists(path) else f"{path}: is not a file"
        )
    kind = archive_kind(path)
    if kind == "csv":
        return _iter_csv(path, columns, encoding)
    if kind == "jsonl":
        return _iter_jsonl(path, columns, encoding)
    return _iter_parquet(path, columns, batch)


def iter_partitions(
    paths: Sequence[str],
    columns: Columns,
    partition_size: int,
    encoding: str | None = None,
) -> Iterator[Partition]:
    """The partitions of ``paths``, in order; a partition never spans two archives."""
    index = 0
    for path in paths:
        rows: list[dict[str, Any]] = []
        for row in iter_rows(path, columns, encoding, batch=partition_size):
            rows.append(row)
            if len(rows) >= partition_size:
                yield Partition(index, path, rows)
                index += 1
                rows = []
        if rows:
            yield Partition(index, path, rows)
            index += 1
