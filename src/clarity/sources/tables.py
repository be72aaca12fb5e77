"""Batches of drafts: CSV and JSON Lines files, streamed one record at a time.

Neither reader holds more than one record in memory, so a file of 100,000 tickets
costs no more than one. A record that cannot be read becomes a
:class:`~clarity.sources.document.BadRecord` naming its row (CSV) or line (JSON Lines)
and reading goes on with the next one.

CSV: the header names the columns; ``column`` picks the text (default: the first of
``body``, ``text``, ``draft``, ``reply``, ``message``, ``content``, ``description``,
``comment``, matched without regard to case); a ``subject`` or ``title`` column is
the subject; an ``incoming``, ``customer``, ``customer_message``, ``request`` or
``question`` column is the customer's message the draft answers (T012/T013 read it,
as ``clarity audit`` does); ``id`` or ``ticket_id`` goes into ``meta``. The delimiter is the one of
``,`` ``;`` tab ``|`` the header line uses most. Quoted fields may hold line breaks.
Rows are numbered from 1 after the header (``tickets.csv:row 7``); ``meta["line"]`` is
the line the row ends on. A row is bad when its quoting is broken, when it has more
or fewer fields than the header, when a field is over the csv module's size limit
(131,072 characters: the rest of that field is skipped, so the record costs one bad
record and the next row is read as it should be), or when it is not valid in the file's
encoding. Any number of columns is read, in time linear in the file's size.

JSON Lines: one JSON value per line (``tickets.jsonl:line 7``); with ``field`` (a dotted
path such as ``ticket.reply``) that field is the text, otherwise each line is read as a
ticket by :func:`clarity.sources.tickets.ticket_body`. Blank lines are skipped. A
line over :data:`MAX_LINE_BYTES`, invalid JSON, or JSON nested too deeply is one bad
record; nothing is read past a record before it is yielded.

``encoding`` must name a character set: ``rot13`` or ``unicode_escape`` is refused.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from clarity.errors import InputError
from clarity.sources.charset import codec_name, label_notice
from clarity.sources.document import BadRecord, Body
from clarity.sources.tickets import INCOMING_KEYS, as_body, parse_json, ticket_body

TEXT_COLUMNS = ("body", "text", "draft", "reply", "message", "content", "description", "comment")
SUBJECT_COLUMNS = ("subject", "title")
ID_COLUMNS = ("id", "ticket_id", "ticket id", "ticket")
DELIMITERS = (",", ";", "\t", "|")
#: Longest JSON Lines record read, in bytes; longer lines are reported and skipped.
MAX_LINE_BYTES = 4 * 1024 * 1024

Record = tuple[str, Body, dict[str, Any]]  # source, body, extra meta


def _find(header: list[str], wanted: str | None, candidates: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in (wanted,) if wanted is not None else candidates:
        if name is not None and name.strip().lower() in lowered:
            return lowered.index(name.strip().lower())
    return None


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _check_encoding(enc: str) -> None:
    if codec_name(enc) is None:
        raise InputError(label_notice(enc) or f"unknown encoding {enc!r}")


class _Lines:
    """A text file's lines, numbered, counting the quotes of the record being read."""

    def __init__(self, fh: TextIO) -> None:
        self.fh = fh
        self.number = 0
        self.quotes = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.fh.readline()
        if not line:
            raise StopIteration
        self.number += 1
        self.quotes += line.count('"')
        return line

    def skip_quoted(self) -> None:
        """Skip to the end of the record whose quoted field is open (odd quotes)."""
        while self.quotes % 2:
            try:
                next(self)
            except StopIteration:
                return


@dataclass(frozen=True)
class CsvRow:
    """One record of a CSV file: its number (from 1 after the header), the line it ends
    on, and its fields, as many as the header has. Bytes not valid in the file's
    encoding are kept as lone surrogates (``surrogateescape``): the caller decides
    whether the fields it uses may hold them."""

    row: int
    line: int
    fields: list[str]


@contextlib.contextmanager
def open_csv(
    path: Path, encoding: str | None = None
) -> Iterator[tuple[list[str], Iterator[CsvRow | BadRecord]]]:
    """The header and the rows of the CSV file ``path``, streamed (see the module's
    docstring for the delimiter, the numbering and what makes a row bad). Raises
    :class:`InputError` when the file itself is bad: unreadable, empty, a broken header
    or one not valid in ``encoding``."""
    enc = encoding or "utf-8-sig"
    _check_encoding(enc)
    try:
        fh = path.open(newline="", encoding=enc, errors="surrogateescape")
    except LookupError:
        raise InputError(f"unknown encoding {enc!r}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with fh:
        first = fh.readline()
        delimiter = max(DELIMITERS, key=lambda d: (first.count(d), d == ","))
        fh.seek(0)
        lines = _Lines(fh)
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: empty CSV file (no header row)") from None
        except csv.Error as exc:
            raise InputError(f"{path}: unreadable CSV header: {exc}") from None
        if _has_surrogates("".join(header)):
            raise InputError(f"{path}: not valid {enc.replace('-sig', '')}; pass --encoding")
        yield header, _csv_rows(path, reader, lines, len(header))


def _csv_rows(
    path: Path, reader: Iterator[list[str]], lines: _Lines, width: int
) -> Iterator[CsvRow | BadRecord]:
    row = 0
    while True:
        row += 1
        source = f"{path}:row {row}"
        lines.quotes = 0
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                lines.skip_quoted()
                limit = csv.field_size_limit()
                yield BadRecord(source, f"a field is over the {limit:,}-character limit")
                continue
            hint = " (an unclosed quote?)" if "end of data" in str(exc) else ""
            yield BadRecord(source, f"malformed CSV: {exc}{hint}")
            continue
        if not fields:
            row -= 1  # a blank line is not a record
            continue
        if len(fields) != width:
            yield BadRecord(
                source,
                f"has {len(fields)} fields but the header has {width} "
                "(a stray delimiter or quote?)",
            )
            continue
        yield CsvRow(row, lines.number, fields)


def iter_csv(
    path: Path, column: str | None = None, encoding: str | None = None
) -> Iterator[Record | BadRecord]:
    """Records of the CSV file ``path`` (raises InputError when the file itself is bad)."""
    with open_csv(path, encoding) as (header, rows):
        text_col = _find(header, column, TEXT_COLUMNS)
        if text_col is None:
            names = ", ".join(h for h in header if h) or "none"
            what = f"no column {column!r}" if column else "no text column found"
            raise InputError(f"{path}: {what} (columns: {names}); name one with --column")
        subject_col = _find(header, None, SUBJECT_COLUMNS)
        incoming_col = _find(header, None, INCOMING_KEYS)
        if incoming_col == text_col:
            incoming_col = None
        id_col = _find(header, None, ID_COLUMNS)
        for item in rows:
            if isinstance(item, BadRecord):
                yield item
                continue
            fields = item.fields
            source = f"{path}:row {item.row}"
            text = fields[text_col]
            subject = fields[subject_col] if subject_col is not None else None
            incoming = fields[incoming_col] if incoming_col is not None else None
            if any(_has_surrogates(f) for f in (text, subject, incoming) if f is not None):
                enc = encoding or "utf-8"
                yield BadRecord(source, f"not valid {enc} text; pass --encoding")
                continue
            meta: dict[str, Any] = {"row": item.row, "line": item.line, "column": header[text_col]}
            if id_col is not None:
                meta["id"] = fields[id_col]
            yield source, as_body(text, subject, {"format": "csv"}, incoming=incoming), meta


def json_lines(path: Path, encoding: str | None = None) -> Iterator[tuple[int, Any] | BadRecord]:
    """The JSON values of the JSON Lines file ``path``, one a line: ``(line number,
    value)``, or a :class:`BadRecord` for a line over :data:`MAX_LINE_BYTES`, not valid
    in ``encoding`` or not valid JSON. Blank lines are skipped; nothing is read past a
    line before it is yielded."""
    enc = encoding or "utf-8"
    _check_encoding(enc)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with fh:
        line_no = 0
        while True:
            raw = fh.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            line_no += 1
            source = f"{path}:line {line_no}"
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):
                    raw = fh.readline(MAX_LINE_BYTES + 1)
                yield BadRecord(source, f"record is over the {MAX_LINE_BYTES:,}-byte limit")
                continue
            if not raw.strip():
                continue
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError as exc:
                yield BadRecord(source, f"not valid {enc} (byte {exc.start}); pass --encoding")
                continue
            except LookupError:
                raise InputError(f"unknown encoding {enc!r}") from None
            try:
                yield line_no, parse_json(text, source, one_line=True)
            except InputError as exc:
                yield BadRecord(source, str(exc).removeprefix(f"{source}: "))


def iter_jsonl(
    path: Path, field: str | None = None, encoding: str | None = None
) -> Iterator[Record | BadRecord]:
    """Records of the JSON Lines file ``path``."""
    for item in json_lines(path, encoding):
        if isinstance(item, BadRecord):
            yield item
            continue
        line_no, value = item
        source = f"{path}:line {line_no}"
        try:
            body = ticket_body(value, source, field)
        except InputError as exc:
            yield BadRecord(source, str(exc).removeprefix(f"{source}: "))
            continue
        yield source, body, {"line": line_no}
