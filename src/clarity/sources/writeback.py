"""Writing a fixed draft back into the file it was read from (``clarity fix --write``).

:func:`replace_draft` takes the original bytes of a file, its kind, the new draft text
and a :class:`Locator` (what the reader must remember to find the draft again), and
returns the new bytes. Reading them with the same reader gives exactly the new text as
the draft, and **everything else is kept byte for byte**: the new value is spliced into
the original bytes, never re-serialised in another style.

====================  ==========================================================
kind                  what changes
====================  ==========================================================
text, markdown        the text; encoding and BOM are kept, every unchanged line
                      keeps its own ending (CRLF or LF), new lines take the
                      file's usual one
plain                 the text, as given (the plain reader keeps CRLF in it)
eml                   the body of the ``text/plain`` part the reader took, encoded
                      again with its charset and Content-Transfer-Encoding
                      (quoted-printable, base64, 7bit, 8bit, binary) and its line
                      endings; headers and every other part (HTML, attachments)
                      are kept byte for byte
json                  the string literal of the draft field (found by asking
                      :func:`~clarity.sources.tickets.ticket_body`, or the
                      ``--field`` path); ``\\uXXXX`` escapes only in a file that
                      is pure ASCII, ``\\/`` kept when the old literal used it
csv                   the one cell (``row``, ``column``); a quoted cell stays
                      quoted, quotes are added only when the value needs them
jsonl                 the draft field of the one line ``line``
====================  ==========================================================

CRLF line breaks inside a JSON string or a CSV cell (shown as LF by the readers) are
kept: when every break of the old value was CRLF, the new value's breaks are too.

Refused with :class:`~clarity.errors.InputError` (one line; nothing is written):

* a draft rendered from HTML (kind ``html``, an e-mail with no usable ``text/plain``
  part, an HTML ticket field or cell): ``...: the draft is HTML; clarity cannot write
  it back safely``;
* a new text with a character the e-mail part's charset (or the file's encoding)
  cannot hold, e.g. ``→`` in a ``windows-1252`` part. The charset is never upgraded
  to UTF-8, as that would mean rewriting the part's headers;
* non-ASCII text in a ``7bit`` part that was pure ASCII;
* a file whose draft is no longer the text that was fixed (``old_text``);
* a result that would not read back as the new text: every result is read again
  with the kind's own reader before it is returned.

An e-mail's HTML alternative is left as it was, and :attr:`WriteBack.notes` says so.
"""

from __future__ import annotations

import base64
import codecs
import csv
import difflib
import email.policy
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from typing import Any, Protocol

from clarity.errors import InputError
from clarity.inputs import decode
from clarity.sources.charset import codec_name
from clarity.sources.document import Body

__all__ = ["WRITABLE_KINDS", "Locator", "WriteBack", "replace_draft"]

#: The kinds :func:`replace_draft` can write back.
WRITABLE_KINDS = frozenset({"text", "plain", "markdown", "eml", "json", "csv", "jsonl"})
#: Deepest MIME nesting walked.
MAX_MIME_DEPTH = 64
_HTML_REFUSAL = "the draft is HTML; clarity cannot write it back safely"
_TICKET_SOURCE = re.compile(r":ticket (\d+)$")
_INDEX = re.compile(r"^-?\d+$")
_HEADER_END = re.compile(rb"\n\r?\n")
#: Appended to a JSON string to see whether the ticket reader takes it as the draft.
_PROBE = "\u2063clarity-writeback-probe"
_BOMS = {
    "utf-8-sig": ((codecs.BOM_UTF8, "utf-8"),),
    "utf-16": ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")),
    "utf-32": ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")),
}
_BOM_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class _Read(Protocol):
    """What :meth:`Locator.for_draft` needs of a draft as a reader made it."""

    @property
    def source(self) -> str | None: ...

    @property
    def meta(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Locator:
    """Where the draft sits in its file: what the reader remembers besides the bytes.

    * ``encoding``: the ``--encoding`` the file was read with (None: the reader's default);
    * json: ``ticket``, the 1-based position of the ticket in a list of tickets (the
      reader's ``path:ticket N`` source); ``field``, the ``--field`` dotted path;
    * csv: ``row`` (``meta["row"]``, counted from 1 after the header) and ``column``
      (``meta["column"]``; None: the reader's default column);
    * jsonl: ``line`` (``meta["line"]``) and ``field`` (``--field``);
    * a JSON payload (``{"text": ...}``, ``meta["format"] == "payload"``): ``field="text"``;
    * text, markdown, plain and eml: nothing beyond the bytes.
    """

    encoding: str | None = None
    field: str | None = None
    ticket: int | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None

    @classmethod
    def for_draft(
        cls, draft: _Read, *, field: str | None = None, encoding: str | None = None
    ) -> Locator:
        """The locator of ``draft`` as the reader made it (its ``source`` and ``meta``:
        ``kind``, ``row``, ``column``, ``line``), given the ``field`` and ``encoding``
        options it was read with."""
        kind = draft.meta.get("kind")
        m = _TICKET_SOURCE.search(draft.source or "") if kind == "json" else None
        if kind == "json" and draft.meta.get("format") == "payload" and field is None:
            field = "text"  # a {"text": ...} payload: its text is the draft
        return cls(
            encoding=encoding,
            field=field,
            ticket=int(m.group(1)) if m else None,
            row=draft.meta.get("row") if kind == "csv" else None,
            column=draft.meta.get("column") if kind == "csv" else None,
            line=draft.meta.get("line") if kind == "jsonl" else None,
        )


@dataclass(frozen=True)
class WriteBack:
    """The new bytes of the file, and notes for the user (what was left as it was)."""

    data: bytes
    notes: tuple[str, ...] = ()


def replace_draft(
    data: bytes,
    kind: str,
    new_text: str,
    *,
    locator: Locator | None = None,
    source: str = "<input>",
    old_text: str | None = None,
) -> WriteBack:
    """``data`` (a file of ``kind``) with its draft replaced by ``new_text``.

    ``source`` names the file in errors. When ``old_text`` is given, the draft found in
    ``data`` must be exactly it (the text that was fixed), else the file changed since
    it was read and InputError is raised. See the module docstring for what is kept.
    """
    loc = locator or Locator()
    if kind == "html":
        raise InputError(f"{source}: {_HTML_REFUSAL}")
    if kind in ("text", "markdown", "plain"):
        return WriteBack(_replace_text(data, kind, new_text, loc, source, old_text))
    if kind == "eml":
        return _replace_eml(data, new_text, source, old_text)
    if kind == "json":
        text, bom, codec = _decode_whole(data, source, loc.encoding)
        new = _splice_json(text, new_text, loc.field, loc.ticket, source, old_text, many=True)
        return WriteBack(bom + _encode(new, codec, source))
    if kind == "csv":
        return WriteBack(_replace_csv(data, new_text, loc, source, old_text))
    if kind == "jsonl":
        return WriteBack(_replace_jsonl(data, new_text, loc, source, old_text))
    raise InputError(
        f"{source}: cannot write a draft back into a {kind!r} file "
        f"(only {', '.join(sorted(WRITABLE_KINDS))})"
    )


# -- shared helpers ---------------------------------------------------------------------


def _check_old(found: str, old_text: str | None, source: str) -> None:
    if old_text is not None and found != old_text:
        raise InputError(f"{source}: the draft changed since it was read; not written")


def _check_round_trip(read: str, new_text: str, source: str) -> None:
    if read != new_text:
        raise InputError(
            f"{source}: the fixed text would not read back unchanged from this file; not written"
        )


def _codec(data: bytes, encoding: str) -> tuple[bytes, str]:
    """``(BOM, codec)``: the byte-order mark ``data`` starts with under ``encoding``,
    and the codec that encodes the rest without adding one."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    for bom, codec in _BOMS.get(name, ()):
        if data.startswith(bom):
            return bom, codec
    if name in _BOMS:
        return b"", _BOMS[name][0][1]
    return b"", name


def _decode_whole(data: bytes, source: str, encoding: str | None) -> tuple[str, bytes, str]:
    """The text the reader sees (:func:`clarity.inputs.decode`), its BOM and codec."""
    text = decode(data, source, encoding)
    if encoding is None:
        encoding = next((name for bom, name in _BOM_ENCODINGS if data.startswith(bom)), "utf-8")
    bom, codec = _codec(data, encoding)
    return text.removeprefix("\ufeff") if bom else text, bom, codec


def _encode(text: str, codec: str, source: str, errors: str = "strict") -> bytes:
    try:
        return text.encode(codec, errors)
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{source}: the fixed text has {exc.object[exc.start]!r}, which {codec} "
            "cannot hold; not written"
        ) from None


def _keep_newlines(old: str, new: str) -> str:
    """``new`` with CRLF line breaks when every break of ``old`` is CRLF."""
    crlf = old.count("\r\n")
    if crlf and crlf == old.count("\n"):
        return new.replace("\r\n", "\n").replace("\n", "\r\n")
    return new


# -- text and markdown -------------------------------------------------------------------


def _replace_text(
    data: bytes, kind: str, new_text: str, loc: Locator, source: str, old_text: str | None
) -> bytes:
    """Line by line: unchanged lines keep their own ending, new ones the usual one."""
    raw, bom, codec = _decode_whole(data, source, loc.encoding)
    if kind == "plain":
        _check_old(raw, old_text, source)
        return bom + _encode(new_text, codec, source)
    pieces = raw.split("\n")
    last = len(pieces) - 1
    old_lines = [p[:-1] if i < last and p.endswith("\r") else p for i, p in enumerate(pieces)]
    endings = ["\r\n" if p.endswith("\r") else "\n" for p in pieces[:-1]]
    _check_old("\n".join(old_lines), old_text, source)
    usual = "\r\n" if endings.count("\r\n") > endings.count("\n") else "\n"
    new_lines = new_text.split("\n")
    new_endings = [usual] * (len(new_lines) - 1)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                if i1 + k < len(endings) and j1 + k < len(new_endings):
                    new_endings[j1 + k] = endings[i1 + k]
    out = "".join(line + end for line, end in zip(new_lines, [*new_endings, ""], strict=True))
    result = bom + _encode(out, codec, source)
    _check_round_trip(decode(result, source, loc.encoding).replace("\r\n", "\n"), new_text, source)
    return result


# -- JSON and JSON Lines -----------------------------------------------------------------

Step = str | int


def _ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _value_span(text: str, path: list[Step], source: str) -> tuple[int, int]:
    """Where the value at ``path`` is written in the JSON ``text`` (the last of
    duplicate keys, the one :func:`json.loads` keeps)."""
    decoder = json.JSONDecoder()
    pos = _ws(text, 0)
    try:
        for step in path:
            opener = text[pos]
            closer = "}" if opener == "{" else "]"
            pos = _ws(text, pos + 1)
            found = None
            index = 0
            while text[pos] != closer:
                if opener == "{":
                    key, pos = decoder.raw_decode(text, pos)
                    pos = _ws(text, _ws(text, pos) + 1)  # past the colon
                    hit = key == step
                else:
                    hit = index == step
                    index += 1
                _, end = decoder.raw_decode(text, pos)
                if hit:
                    found = pos
                pos = _ws(text, end)
                if text[pos] == ",":
                    pos = _ws(text, pos + 1)
            if found is None:
                raise ValueError(step)
            pos = found
        _, end = decoder.raw_decode(text, pos)
    except (IndexError, ValueError, RecursionError):
        raise InputError(f"{source}: cannot find the draft field in the JSON text") from None
    return pos, end


def _resolve_field(obj: Any, field: str, source: str) -> list[Step]:
    """The JSON path of the dotted ``field``, followed as
    :func:`clarity.sources.tickets.get_path` follows it."""
    path: list[Step] = []
    current = obj
    for part in field.split("."):
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif (
            isinstance(current, list)
            and _INDEX.match(part)
            and -len(current) <= int(part) < len(current)
        ):
            index = int(part) % len(current)
            path.append(index)
            current = current[index]
        else:
            raise InputError(f"{source}: no field {field!r} (missing {part!r})")
    return path


def _string_leaves(obj: Any, text: str) -> Iterator[list[Step]]:
    """Paths of the strings in ``obj`` that read as ``text``, in document order."""
    stack: list[tuple[Any, list[Step]]] = [(obj, [])]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if value.replace("\r\n", "\n") == text:
                yield path
        elif isinstance(value, dict):
            stack.extend((v, [*path, k]) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((v, [*path, i]) for i, v in reversed(list(enumerate(value))))


def _get(obj: Any, path: list[Step]) -> Any:
    for step in path:
        obj = obj[step]
    return obj


def _probe_path(item: Any, body: Body, source: str) -> list[Step]:
    """The path of the string the ticket reader took as the draft: each string that
    reads as the draft is marked in turn; the one whose mark shows in the draft is it
    (so the choice of comment stays with :mod:`clarity.sources.tickets`)."""
    from clarity.sources.tickets import ticket_body

    for path in _string_leaves(item, body.text):
        parent = _get(item, path[:-1])
        saved = parent[path[-1]]
        parent[path[-1]] = saved + _PROBE
        try:
            probed = ticket_body(item, source).text
        except InputError:
            probed = ""
        finally:
            parent[path[-1]] = saved
        if probed == body.text + _PROBE:
            return path
    raise InputError(
        f"{source}: cannot find which JSON field holds the draft; name it with --field"
    )


def _draft_in(
    obj: Any, field: str | None, ticket: int | None, source: str, many: bool
) -> tuple[Body, list[Step]]:
    """The reader's draft in the parsed JSON ``obj``, and the path to its ticket.

    ``many``: ``obj`` is a whole ``.json`` file, which may hold a list of tickets (a
    list, or an object with a ``tickets`` list), taken as the reader takes them."""
    from clarity.sources.tickets import ticket_body

    prefix: list[Step] = []
    item = obj
    if many and field is None:
        items = obj.get("tickets") if isinstance(obj, dict) else obj
        if isinstance(items, list):
            if ticket is None or not 1 <= ticket <= len(items):
                raise InputError(f"{source}: holds {len(items)} tickets; say which one")
            prefix = [ticket - 1] if items is obj else ["tickets", ticket - 1]
            item = items[ticket - 1]
    return ticket_body(item, source, field), prefix


def _splice_json(
    text: str,
    new_text: str,
    field: str | None,
    ticket: int | None,
    source: str,
    old_text: str | None,
    *,
    many: bool,
) -> str:
    """The JSON ``text`` with the draft's string literal replaced."""

    def parse(s: str) -> Any:
        try:
            return json.loads(s)
        except (json.JSONDecodeError, RecursionError):
            raise InputError(f"{source}: invalid JSON") from None

    obj = parse(text)
    body, prefix = _draft_in(obj, field, ticket, source, many)
    _check_old(body.text, old_text, source)
    if body.meta.get("html"):
        raise InputError(f"{source}: {_HTML_REFUSAL}")
    if field is not None:
        path = _resolve_field(obj, field, source)
    else:
        path = [*prefix, *_probe_path(_get(obj, prefix), body, source)]
    start, end = _value_span(text, path, source)
    literal = json.dumps(_keep_newlines(_get(obj, path), new_text), ensure_ascii=text.isascii())
    if "\\/" in text[start:end]:
        literal = literal.replace("/", "\\/")
    result = text[:start] + literal + text[end:]
    check = _draft_in(parse(result), field, ticket, source, many)[0]
    _check_round_trip(check.text, new_text, source)
    return result


def _replace_jsonl(
    data: bytes, new_text: str, loc: Locator, source: str, old_text: str | None
) -> bytes:
    if loc.line is None or loc.line < 1:
        raise InputError(f"{source}: say which line holds the draft")
    start = 0
    for _ in range(loc.line - 1):
        start = data.find(b"\n", start) + 1
        if start == 0:
            raise InputError(f"{source}: has no line {loc.line}")
    end = data.find(b"\n", start)
    end = len(data) if end < 0 else end
    encoding = loc.encoding or "utf-8"
    line_source = f"{source}:line {loc.line}"
    try:
        text = data[start:end].decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{line_source}: not valid {encoding} (byte {exc.start})") from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    body = text.lstrip("\ufeff")
    lead = text[: len(text) - len(body)]
    new = lead + _splice_json(body, new_text, loc.field, None, line_source, old_text, many=False)
    return data[:start] + _encode(new, encoding, line_source) + data[end:]


# -- CSV ------------------------------------------------------------------------------


def _cell_spans(record: str, delimiter: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each field of one CSV record (Excel dialect, ``"`` quotes)."""
    spans = []
    i, n = 0, len(record)
    while True:
        start = i
        if i < n and record[i] == '"':
            i += 1
            while True:
                j = record.find('"', i)
                if j < 0:
                    return []
                if record.startswith('"', j + 1):
                    i = j + 2
                    continue
                i = j + 1
                break
        else:
            while i < n and record[i] not in (delimiter, "\r", "\n"):
                i += 1
        spans.append((start, i))
        if i < n and record[i] == delimiter:
            i += 1
            continue
        return spans


def _replace_csv(
    data: bytes, new_text: str, loc: Locator, source: str, old_text: str | None
) -> bytes:
    """One cell spliced into its record; the records are found as
    :func:`clarity.sources.tables.iter_csv` finds them (same decoding, delimiter,
    ``csv`` reader, row count)."""
    from clarity.sources.tables import DELIMITERS, TEXT_COLUMNS
    from clarity.sources.tickets import as_body

    if loc.row is None or loc.row < 1:
        raise InputError(f"{source}: say which row holds the draft")
    bom, codec = _codec(data, loc.encoding or "utf-8-sig")
    text = data[len(bom) :].decode(codec, "surrogateescape")
    lines = list(io.StringIO(text, newline=""))
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    first = lines[0] if lines else ""
    delimiter = max(DELIMITERS, key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    row_source = f"{source}:row {loc.row}"
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise InputError(f"{source}: no CSV header row") from None
    lowered = [h.strip().lower() for h in header]
    wanted = [loc.column] if loc.column is not None else list(TEXT_COLUMNS)
    names = [w.strip().lower() for w in wanted if w.strip().lower() in lowered]
    if not names:
        raise InputError(f"{source}: no column {loc.column!r}")
    col = lowered.index(names[0])
    row = 0
    while True:
        before = reader.line_num
        fields: list[str] | None
        try:
            fields = next(reader)
        except StopIteration:
            raise InputError(f"{source}: has no row {loc.row}") from None
        except csv.Error:
            fields = None
        if fields == []:
            continue  # a blank line is not a record
        row += 1
        if row == loc.row:
            break
    if fields is None or len(fields) != len(header):
        raise InputError(f"{row_source}: the row is malformed; not written")
    start, end = offsets[before], offsets[reader.line_num]
    record = text[start:end]
    spans = _cell_spans(record, delimiter)
    if len(spans) != len(fields):
        raise InputError(f"{row_source}: cannot find the cell in the CSV text; not written")
    old = as_body(fields[col], None, {})
    _check_old(old.text, old_text, row_source)
    if old.meta.get("html"):
        raise InputError(f"{row_source}: {_HTML_REFUSAL}")
    value = _keep_newlines(fields[col], new_text)
    s, e = spans[col]
    needs_quotes = any(c in value for c in (delimiter, '"', "\r", "\n"))
    if record[s:e].startswith('"') or needs_quotes or (not value and len(fields) == 1):
        cell = '"' + value.replace('"', '""') + '"'
    else:
        cell = value
    new_record = record[:s] + cell + record[e:]
    parsed = list(csv.reader(io.StringIO(new_record, newline=""), delimiter=delimiter, strict=True))
    if len(parsed) != 1 or len(parsed[0]) != len(fields):
        raise InputError(f"{row_source}: the fixed cell would break the row; not written")
    _check_round_trip(as_body(parsed[0][col], None, {}).text, new_text, row_source)
    head = len(bom) + len(text[:start].encode(codec, "surrogateescape"))
    tail = head + len(record.encode(codec, "surrogateescape"))
    return data[:head] + _encode(new_record, codec, row_source, "surrogateescape") + data[tail:]


# -- e-mail -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    """One MIME entity, ``data[start:end]``, whose body starts at ``body``."""

    start: int
    body: int
    end: int
    headers: Message


def _entity(data: bytes, start: int, end: int) -> _Part:
    if data.startswith(b"\n", start) or data.startswith(b"\r\n", start):
        body = data.index(b"\n", start) + 1  # no headers at all
    else:
        m = _HEADER_END.search(data, start, end)
        body = m.end() if m else end
    headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(data[start:body])
    return _Part(start, body, end, headers)


def _leaves(data: bytes, source: str) -> Iterator[_Part]:
    """The MIME leaves of the message ``data``, in document order. Multipart
    attachments are not entered; an attached message is a leaf."""
    stack: list[tuple[int, int, int]] = [(0, len(data), 0)]
    while stack:
        start, end, depth = stack.pop()
        part = _entity(data, start, end)
        if part.headers.get_content_maintype() != "multipart":
            yield part
            continue
        boundary = part.headers.get_boundary()
        if boundary is None or part.headers.get_content_disposition() == "attachment":
            continue
        if depth >= MAX_MIME_DEPTH:
            raise InputError(f"{source}: MIME parts nested over {MAX_MIME_DEPTH} deep")
        delimiter = re.compile(
            rb"(?m)(?:\r?\n)?^--"
            + re.escape(boundary.encode("utf-8", "surrogateescape"))
            + rb"(--)?[ \t]*(?:\r?\n|\Z)"
        )
        children = []
        previous = None
        for m in delimiter.finditer(data, part.body, end):
            if previous is not None:
                children.append((previous, m.start()))
            previous = m.end()
            if m.group(1):
                previous = None
                break
        if previous is not None:
            children.append((previous, end))
        stack.extend((s, e, depth + 1) for s, e in reversed(children))


def _qp_line(raw: bytes, eol: bytes, width: int = 76) -> bytes:
    """One line of text as quoted-printable, soft-broken to lines of ``width`` at most."""
    out = []
    current = b""
    for i, byte in enumerate(raw):
        if (33 <= byte <= 126 and byte != 61) or (byte in (9, 32) and i < len(raw) - 1):
            token = bytes([byte])
        else:
            token = b"=%02X" % byte
        if len(current) + len(token) > width - 1:
            out.append(current + b"=")
            current = b""
        current += token
    out.append(current)
    return eol.join(out)


def _part_body(part: _Part, data: bytes, text: str, codec: str, source: str) -> bytes:
    """``text`` as the new body of ``part``, in its charset and transfer encoding."""
    entity = data[part.start : part.end]
    original = data[part.body : part.end]
    eol = b"\r\n" if b"\r\n" in entity else b"\n"
    cte = str(part.headers.get("content-transfer-encoding", "7bit")).strip().lower()
    try:
        if cte == "quoted-printable":
            return eol.join(_qp_line(line.encode(codec), eol) for line in text.split("\n"))
        if cte == "base64":
            parsed = BytesParser(policy=email.policy.compat32).parsebytes(entity)
            payload = parsed.get_payload(decode=True)
            lf = isinstance(payload, bytes) and b"\n" in payload and b"\r\n" not in payload
            encoded = base64.b64encode(text.replace("\n", "\n" if lf else "\r\n").encode(codec))
            lines = original.split()
            width = len(lines[0]) if lines and len(lines[0]) % 4 == 0 else 76
            trailing = original[len(original.rstrip()) :]
            chunks = [encoded[i : i + width] for i in range(0, len(encoded), width)]
            return eol.join(chunks) + trailing
        if cte in ("7bit", "8bit", "binary"):
            body = text.replace("\n", eol.decode()).encode(codec)
            if cte == "7bit" and not body.isascii() and original.isascii():
                bad = next(ch for ch in text if not ch.isascii())
                raise InputError(
                    f"{source}: the fixed text has {bad!r}, which a 7bit e-mail part cannot "
                    "hold; not written"
                )
            return body
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{source}: the fixed text has {exc.object[exc.start]!r}, which the e-mail "
            f"part's charset {codec} cannot hold; not written"
        ) from None
    raise InputError(f"{source}: cannot write a {cte!r} e-mail part; not written")


def _replace_eml(data: bytes, new_text: str, source: str, old_text: str | None) -> WriteBack:
    from clarity.sources.mail import parse_eml

    mbox = data.partition(b"\n")[0] + b"\n" if data.startswith(b"From ") else b""
    message = data[len(mbox) :]  # an mbox "From " line is not part of the message
    read = parse_eml(message, source)
    _check_old(read.text, old_text, source)
    if read.meta.get("body") != "plain":
        raise InputError(f"{source}: {_HTML_REFUSAL}")
    leaves = list(_leaves(message, source))
    target = None
    for leaf in leaves:
        if leaf.headers.get_content_type() != "text/plain":
            continue
        if leaf.headers.get_content_disposition() == "attachment":
            continue
        try:
            body = parse_eml(b"MIME-Version: 1.0\r\n" + message[leaf.start : leaf.end], source)
        except InputError:
            continue
        if body.text == read.text:
            target = leaf, body
            break
    if target is None:
        raise InputError(f"{source}: cannot find the text part in the message; not written")
    leaf, body = target
    used = str(body.meta.get("charset") or "ascii")
    # The codec the reader decoded the part with; for a pure-ASCII part, its label.
    codec = used if used != "ascii" else codec_name(leaf.headers.get_content_charset()) or "ascii"
    new_body = _part_body(leaf, message, new_text, codec, source)
    result = message[: leaf.body] + new_body + message[leaf.end :]
    _check_round_trip(parse_eml(result, source).text, new_text, source)
    notes: tuple[str, ...] = ()
    if any(
        p.headers.get_content_type() == "text/html"
        and p.headers.get_content_disposition() != "attachment"
        for p in leaves
    ):
        notes = (f"{source}: the HTML version of the message was left unchanged",)
    return WriteBack(mbox + result, notes)
