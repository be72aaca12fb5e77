"""Where drafts come from: files, e-mails, tickets and batches, as :class:`Document` s.

A *kind* says how to read a file; it comes from ``--kind`` or from the extension:

========  ==========================  ==================================================
kind      extensions                  what is read
========  ==========================  ==================================================
text      .txt, .text, anything else  the file as UTF-8 (or ``--encoding``)
plain     (only with ``--kind``)      the same, with no region detection at all
markdown  .md, .markdown              the file as text; fences and ``>`` quotes included
eml       .eml                        the body of an RFC 5322 / MIME message
html      .html, .htm                 the page rendered as text
json      .json                       one ticket (or a list of tickets)
csv       .csv, .tsv                  one draft per row (``--column``)
jsonl     .jsonl, .ndjson             one draft per line (``--field``)
========  ==========================  ==================================================

Standard input and files of unknown extension are read as ``eml`` when they start
with a header block (``From:``, ``Subject:``, ``MIME-Version:``...), else as ``text``.

Every kind but ``plain`` detects regions (quoted history, signatures, code: see
:mod:`clarity.sources.regions`), so pasted history in a ``.txt`` draft is ignored too.
Regions found in HTML markup are merged with those found in the text. The readers of
each kind are imported when first needed, to keep ``clarity``'s start fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from clarity.errors import InputError
from clarity.inputs import MAX_BYTES, decode, looks_binary, read_bytes
from clarity.sources.document import BadRecord, Body, Document
from clarity.sources.regions import detect_regions, merge_regions

__all__ = [
    "BATCH_KINDS",
    "EXTENSIONS",
    "KINDS",
    "BadRecord",
    "Document",
    "detect_regions",
    "document_from_text",
    "iter_documents",
    "kind_for",
    "merge_regions",
    "read_document",
]

KINDS = ("text", "plain", "markdown", "eml", "html", "json", "csv", "jsonl")
#: Kinds that hold many drafts: read with :func:`iter_documents`.
BATCH_KINDS = frozenset({"csv", "jsonl"})
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".eml": "eml",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_HEADER_BLOCK = re.compile(rb"^(?:[!-9;-~]+:[^\n]*\n(?:[ \t][^\n]*\n)*){2,}\r?\n", re.MULTILINE)
_MAIL_HEADERS = re.compile(
    rb"^(from|subject|date|received|mime-version|return-path|message-id|delivered-to|to):",
    re.IGNORECASE | re.MULTILINE,
)


def kind_for(path: str, kind: str | None = None) -> str:
    """The kind of ``path``: ``kind`` when given, else by extension (``text`` if unknown)."""
    if kind is not None:
        if kind not in KINDS:
            raise InputError(f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})")
        return kind
    if path == "-":
        return "text"
    return EXTENSIONS.get(Path(path).suffix.lower(), "text")


def looks_like_mail(data: bytes) -> bool:
    """Whether ``data`` starts with an e-mail header block."""
    head = data[:16384].replace(b"\r\n", b"\n")
    m = _HEADER_BLOCK.match(head)
    return m is not None and len(_MAIL_HEADERS.findall(m.group(0))) >= 2


def _document(
    source: str, body: Body, kind: str, meta: Mapping[str, Any] | None = None
) -> Document:
    regions = body.regions
    if kind != "plain":
        regions = tuple(merge_regions([*body.regions, *detect_regions(body.text)], body.text))
    return Document(
        source=source,
        text=body.text,
        subject=body.subject,
        regions=regions,
        meta={**body.meta, **(meta or {}), "kind": kind},
    )


def document_from_text(
    text: str, source: str = "<text>", *, kind: str = "text", subject: str | None = None
) -> Document:
    """A :class:`Document` of ``text`` (regions detected unless ``kind`` is ``plain``)."""
    return _document(source, Body(text, subject), kind)


def _html_text(data: bytes, encoding: str | None) -> Body:
    from clarity.sources.charset import decode_bytes
    from clarity.sources.htmltext import html_to_text, meta_charset

    declared = encoding or meta_charset(data)
    text, codec = decode_bytes(data, declared)
    rendered, regions = html_to_text(text)
    return Body(rendered, None, tuple(regions), {"format": "html", "charset": codec})


def _bodies(
    data: bytes, source: str, kind: str, encoding: str | None, field: str | None
) -> Iterator[tuple[str, Body] | BadRecord]:
    """The drafts in the file ``data`` of a single-file kind (json may hold several)."""
    from clarity.sources.mail import parse_eml
    from clarity.sources.tickets import ticket_body

    if kind == "eml":
        yield source, parse_eml(data, source)
        return
    if looks_binary(data):
        raise InputError(f"{source}: looks like a binary file, not text")
    if kind == "html":
        yield source, _html_text(data, encoding)
        return
    text = decode(data, source, encoding)
    if kind != "json":
        yield source, Body(text.replace("\r\n", "\n") if kind != "plain" else text)
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    tickets = obj.get("tickets") if isinstance(obj, dict) and field is None else None
    items = obj if isinstance(obj, list) and field is None else tickets
    if not isinstance(items, list):
        yield source, ticket_body(obj, source, field)
        return
    for n, item in enumerate(items, 1):
        item_source = f"{source}:ticket {n}"
        try:
            yield item_source, ticket_body(item, item_source, None)
        except InputError as exc:
            yield BadRecord(item_source, str(exc).removeprefix(f"{item_source}: "))


def iter_documents(
    path: str,
    kind: str | None = None,
    *,
    encoding: str | None = None,
    column: str | None = None,
    field: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Iterator[Document | BadRecord]:
    """Every draft in ``path`` (``-`` for standard input), streamed.

    A CSV or JSON Lines file yields one item per record; other kinds one (a JSON list of
    tickets one per ticket). A record that cannot be read is yielded as a
    :class:`BadRecord` and reading goes on; a file that cannot be read at all raises
    :class:`~clarity.errors.InputError`.
    """
    resolved = kind_for(path, kind)
    if resolved in BATCH_KINDS:
        if path == "-":
            raise InputError(f"--kind {resolved} reads a file; name it instead of -")
        batch_path = Path(path)
        if not batch_path.is_file():
            raise InputError(
                f"{path}: no such file" if not batch_path.exists() else f"{path}: is a directory"
            )
        from clarity.sources.tables import iter_csv, iter_jsonl

        reader = iter_csv if resolved == "csv" else iter_jsonl
        name = column if resolved == "csv" else field
        for item in reader(batch_path, name, encoding):
            if isinstance(item, BadRecord):
                yield item
                continue
            source, body, meta = item
            yield _document(source, body, resolved, {**meta, "path": path})
        return
    data, source, file_path = read_bytes(path, max_bytes)
    if (
        kind is None
        and resolved == "text"
        and (path == "-" or Path(path).suffix.lower() not in EXTENSIONS)
    ) and looks_like_mail(data):
        resolved = "eml"
    meta = {"path": path} if file_path is not None else {}
    for found in _bodies(data, source, resolved, encoding, field):
        if isinstance(found, BadRecord):
            yield found
        else:
            yield _document(found[0], found[1], resolved, meta)


def read_document(
    path: str,
    kind: str | None = None,
    *,
    encoding: str | None = None,
    field: str | None = None,
) -> Document:
    """The one draft in ``path`` (not a batch file). Raises InputError when unreadable."""
    if kind_for(path, kind) in BATCH_KINDS:
        raise InputError(f"{path}: holds many drafts; read it with iter_documents()")
    docs = list(iter_documents(path, kind, encoding=encoding, field=field))
    if len(docs) != 1 or isinstance(docs[0], BadRecord):
        if docs and isinstance(docs[0], BadRecord):
            raise InputError(str(docs[0]))
        raise InputError(f"{path}: holds {len(docs)} drafts; read it with iter_documents()")
    return docs[0]
