"""The one way in: files, standard input, e-mails, tickets, batches, hook payloads and
service requests, read as :class:`~clarity.draft.Draft` s by :func:`read`.

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

Standard input and files of unknown extension are read as ``json`` when they hold a
JSON object (a ticket, or a payload ``{"text": ..., "incoming": ..., "subject": ...,
"audience": ...}`` as ``clarity hook`` and ``clarity serve`` take), as ``eml`` when they
start with a header block (``From:``, ``Subject:``, ``MIME-Version:``...), else as
``text``. Every face reads through :func:`read`, so a draft is the same draft whether it
reaches :func:`clarity.check`, ``clarity check``, ``clarity hook`` or the service.

Every kind but ``plain`` detects regions (quoted history, signatures, code: see
:mod:`clarity.sources.regions`), so pasted history in a ``.txt`` draft is ignored too.
Regions found in HTML markup are merged with those found in the text. The readers of
each kind are imported when first needed, to keep ``clarity``'s start fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from clarity.draft import Draft
from clarity.errors import InputError
from clarity.inputs import MAX_BYTES, decode, encoding_of, looks_binary, read_bytes
from clarity.sources.document import BadRecord, Body
from clarity.types import Region

__all__ = [
    "BATCH_KINDS",
    "EXTENSIONS",
    "KINDS",
    "PAYLOAD_KEYS",
    "BadRecord",
    "Draft",
    "draft_from_payload",
    "find_regions",
    "kind_for",
    "read",
    "read_one",
]

KINDS = ("text", "plain", "markdown", "eml", "html", "json", "csv", "jsonl")
#: Kinds that hold many drafts, one per record.
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
#: The fields of a draft payload (``clarity hook`` JSON, a service request).
PAYLOAD_KEYS = ("text", "incoming", "subject", "audience", "regions", "source")
#: Keys that make a JSON object a help-desk ticket export rather than a payload.
_TICKET_KEYS = frozenset(
    {"ticket", "tickets", "comments", "conversations", "threads", "_embedded", "conversation_parts"}
)
_HEADER_BLOCK = re.compile(rb"^(?:[!-9;-~]+:[^\n]*\n(?:[ \t][^\n]*\n)*){2,}\r?\n", re.MULTILINE)
_MAIL_HEADERS = re.compile(
    rb"^(from|subject|date|received|mime-version|return-path|message-id|delivered-to|to):",
    re.IGNORECASE | re.MULTILINE,
)
#: The ``---`` line of a ``git format-patch`` message, when a diff follows it.
_PATCH = re.compile(r"^---[ \t]*$", re.MULTILINE)
_DIFF = re.compile(r"^diff --git ", re.MULTILINE)


# --- regions ------------------------------------------------------------------------


def find_regions(text: str, found: tuple[Region, ...] | list[Region] = ()) -> tuple[Region, ...]:
    """The regions of ``text``: those a format showed (``found``, e.g. HTML quotes)
    merged with those :func:`~clarity.sources.regions.detect_regions` finds, and in a
    patch mailed by ``git send-email`` everything from the ``---`` line before the
    diff on. The engine calls this whenever a draft comes without regions."""
    from clarity.sources.regions import detect_regions, merge_regions

    regions = merge_regions([*found, *detect_regions(text)], text)
    diff = _DIFF.search(text)
    if diff is not None:
        marker = None
        for m in _PATCH.finditer(text, 0, diff.start()):
            marker = m
        if marker is not None:
            end = len(text.rstrip("\n"))
            regions = [r for r in regions if r.end <= marker.start()]
            if end > marker.start():
                regions.append(Region(marker.start(), end, "code"))
    return tuple(regions)


# --- kinds --------------------------------------------------------------------------


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
    head = _strip_mbox(data[:16384]).replace(b"\r\n", b"\n")
    m = _HEADER_BLOCK.match(head)
    return m is not None and len(_MAIL_HEADERS.findall(m.group(0))) >= 2


def looks_like_json(data: bytes) -> bool:
    """Whether ``data`` starts like a JSON object (a ticket or a payload): ``{``."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _strip_mbox(data: bytes) -> bytes:
    """``data`` without an mbox ``From `` line (``git format-patch`` writes one)."""
    return data.partition(b"\n")[2] if data.startswith(b"From ") else data


def sniff(data: bytes) -> str:
    """The kind of a file whose name says nothing: ``json``, ``eml`` or ``text``."""
    if looks_like_json(data):
        return "json"
    if looks_like_mail(data):
        return "eml"
    return "text"


# --- payloads -----------------------------------------------------------------------


def _is_payload(obj: Any) -> bool:
    """A draft payload: an object with ``text`` (or the other payload fields) and no
    help-desk export structure (a ``comments`` list, a ``ticket`` object...)."""
    return (
        isinstance(obj, Mapping)
        and not any(isinstance(obj.get(k), (Mapping, list)) for k in _TICKET_KEYS)
        and any(k in obj for k in ("text", "incoming", "audience"))
    )


def _regions_of(value: Any, length: int, source: str) -> tuple[Region, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise InputError(f"{source}: 'regions' must be a list of {{start, end, kind}}")
    out = []
    for n, item in enumerate(value):
        ok = (
            isinstance(item, Mapping)
            and all(
                isinstance(item.get(k), int) and not isinstance(item.get(k), bool)
                for k in ("start", "end")
            )
            and isinstance(item.get("kind"), str)
        )
        if not ok or not 0 <= item["start"] <= item["end"] <= length:
            raise InputError(
                f"{source}: 'regions'[{n}] must be {{start, end, kind}} with "
                "0 <= start <= end <= the text's length"
            )
        out.append(Region(item["start"], item["end"], item["kind"]))
    return tuple(out)


def draft_from_payload(obj: Any, source: str = "<payload>") -> Draft:
    """The :class:`~clarity.draft.Draft` of a payload ``{"text": ..., "incoming": ...,
    "subject": ..., "audience": ..., "regions": [...], "source": ...}`` (other keys are
    ignored, so a tool can pipe its own object). ``regions`` absent or ``null``: the
    engine detects them."""
    if not isinstance(obj, Mapping):
        raise InputError(
            f'{source}: JSON input must be an object: {{"text": ..., "incoming": ...}}'
        )
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(f'{source}: JSON input needs "text", a string')
    for key in ("incoming", "audience", "subject", "source"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise InputError(f'{source}: JSON "{key}" must be a string or null')
    name = obj.get("source") or source
    return Draft(
        text=text,
        subject=obj.get("subject"),
        regions=_regions_of(obj.get("regions"), len(text), source),
        incoming=obj.get("incoming"),
        source=name,
        audience=obj.get("audience"),
        meta={"kind": "json", "format": "payload"},
    )


# --- reading ------------------------------------------------------------------------


def _draft(source: str, body: Body, kind: str, meta: Mapping[str, Any] | None = None) -> Draft:
    """A :class:`Draft` of what a reader found: regions the format showed are merged
    with those detected (none for ``plain``)."""
    regions = tuple(body.regions) if kind == "plain" else find_regions(body.text, body.regions)
    return Draft(
        text=body.text,
        subject=body.subject,
        incoming=body.incoming,
        regions=regions,
        source=source,
        meta={**body.meta, **(meta or {}), "kind": kind},
    )


def _html_text(data: bytes, source: str, encoding: str | None) -> Body:
    from clarity.sources.charset import decode_bytes
    from clarity.sources.htmltext import html_to_text, meta_charset

    declared = encoding or meta_charset(data)
    text, codec = decode_bytes(data, declared)
    try:
        rendered, regions = html_to_text(text)
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None
    return Body(rendered, None, tuple(regions), {"format": "html", "charset": codec})


def _bodies(
    data: bytes, source: str, kind: str, encoding: str | None, field: str | None
) -> Iterator[tuple[str, Body | Draft] | BadRecord]:
    """The drafts in the file ``data`` of a single-file kind (json may hold several)."""
    from clarity.sources.mail import parse_eml
    from clarity.sources.tickets import parse_json, ticket_body

    if kind == "eml":
        yield source, parse_eml(_strip_mbox(data), source)
        return
    if looks_binary(data, encoding):
        raise InputError(f"{source}: looks like a binary file, not text")
    if kind == "html":
        yield source, _html_text(data, source, encoding)
        return
    text = decode(data, source, encoding)
    if kind != "json":
        yield source, Body(text.replace("\r\n", "\n") if kind != "plain" else text)
        return
    obj = parse_json(text, source)
    if field is None and _is_payload(obj):
        yield source, draft_from_payload(obj, source)
        return
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


def read(
    src: str | Path | bytes | Mapping[str, Any],
    kind: str | None = None,
    *,
    encoding: str | None = None,
    column: str | None = None,
    field: str | None = None,
    source: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Iterator[Draft | BadRecord]:
    """Every draft in ``src``, streamed: the one way in for every face.

    ``src`` is a path (``-`` for standard input), the bytes of a file or of standard
    input (named ``source``), or a payload mapping (``{"text": ..., "incoming": ...}``,
    what ``clarity hook`` and ``POST /v1/check`` take). A CSV or JSON Lines file yields
    one item per record; other kinds one (a JSON list of tickets one per ticket). A
    record that cannot be read is yielded as a :class:`BadRecord` and reading goes on;
    input that cannot be read at all raises :class:`~clarity.errors.InputError`.
    Reads are size-limited (``max_bytes``), devices and pipes included.
    """
    if isinstance(src, Mapping):
        yield draft_from_payload(src, source or "<payload>")
        return
    if isinstance(src, bytes):
        name = source or "<stdin>"
        resolved = kind_for("-", kind)
        if resolved in BATCH_KINDS:
            raise InputError(f"{name}: --kind {resolved} reads a file; name it")
        if len(src) > max_bytes:
            raise InputError(f"{name}: input is over the {max_bytes:,}-byte limit")
        yield from _read_data(src, name, None, kind, resolved, encoding, field)
        return
    path = str(src)
    resolved = kind_for(path, kind)
    if resolved in BATCH_KINDS:
        if path == "-":
            raise InputError(f"--kind {resolved} reads a file; name it instead of -")
        batch_path = Path(path)
        if not batch_path.is_file():
            raise InputError(
                f"{path}: no such file" if not batch_path.exists() else f"{path}: is not a file"
            )
        from clarity.sources.tables import iter_csv, iter_jsonl

        reader = iter_csv if resolved == "csv" else iter_jsonl
        for item in reader(batch_path, column if resolved == "csv" else field, encoding):
            if isinstance(item, BadRecord):
                yield item
                continue
            record_source, body, meta = item
            yield _draft(record_source, body, resolved, {**meta, "path": path})
        return
    data, name, file_path = read_bytes(path, max_bytes)
    yield from _read_data(data, source or name, file_path, kind, resolved, encoding, field)


def _read_data(
    data: bytes,
    name: str,
    file_path: Path | None,
    kind: str | None,
    resolved: str,
    encoding: str | None,
    field: str | None,
) -> Iterator[Draft | BadRecord]:
    if (
        kind is None
        and resolved == "text"
        and (file_path is None or file_path.suffix.lower() not in EXTENSIONS)
    ):
        resolved = sniff(data)
    meta: dict[str, Any] = {"path": str(file_path)} if file_path is not None else {}
    if resolved in ("text", "plain", "markdown"):
        meta["encoding"] = encoding_of(data, encoding)
    for found in _bodies(data, name, resolved, encoding, field):
        if isinstance(found, BadRecord):
            yield found
        elif isinstance(found[1], Draft):
            yield found[1].replace(meta={**found[1].meta, **meta})
        else:
            yield _draft(found[0], found[1], resolved, meta)


def read_one(
    src: str | Path | bytes | Mapping[str, Any],
    kind: str | None = None,
    *,
    encoding: str | None = None,
    field: str | None = None,
    source: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Draft:
    """The one draft in ``src`` (not a batch). Raises InputError when unreadable."""
    name = source or (str(src) if isinstance(src, (str, Path)) else "<stdin>")
    if isinstance(src, (str, Path)) and kind_for(str(src), kind) in BATCH_KINDS:
        raise InputError(f"{name}: holds many drafts; check it with `clarity check`")
    drafts = list(
        read(src, kind, encoding=encoding, field=field, source=source, max_bytes=max_bytes)
    )
    if len(drafts) != 1 or isinstance(drafts[0], BadRecord):
        if drafts and isinstance(drafts[0], BadRecord):
            raise InputError(str(drafts[0]))
        raise InputError(f"{name}: holds {len(drafts)} drafts; expected one")
    return drafts[0]
