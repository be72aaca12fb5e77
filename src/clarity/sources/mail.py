"""``.eml`` files: RFC 5322 / MIME messages read with the standard library.

The message is parsed with :mod:`email` (its ``compat32`` policy: header values stay
strings, read by the simple, linear code below rather than the modern policy's header
parser, which takes seconds on one long ``Content-Type``). The draft is the body a
reader sees:

* ``text/plain`` is preferred; an HTML-only body (or a blank plain part beside an HTML
  one) is rendered to text by :func:`clarity.sources.htmltext.html_to_text`;
* attachments and attached messages are not the draft and are skipped;
* every transfer encoding the standard library knows (base64, quoted-printable,
  uuencode, 7bit, 8bit, binary) is undone, then the bytes are decoded by
  :func:`clarity.sources.charset.decode_bytes`, which copes with wrong labels;
* line breaks are normalised to ``\\n`` (CRLF is the wire format, not the text);
* broken MIME is read as far as it goes: a multipart without its boundary parameter
  is re-read with the boundary its body uses; a header without a body is an empty
  draft; a file with no header lines at all is refused (check it as text instead).

The subject and the usual headers (from, to, date, message id) go into ``meta``;
RFC 2047 encoded words and raw 8-bit headers are decoded with the same care as bodies.
A charset label that is unknown or not a character set (``rot13``, ``unicode_escape``)
is ignored and said so in ``meta["notices"]``.

Hostile messages are refused with one line, before they cost more than linear time:
a ``Content-*`` header longer than :data:`MAX_HEADER_CHARS` characters, and parts nested
deeper than :data:`MAX_MIME_DEPTH` levels (multiparts and attached messages, counted
together) - "nested too deeply".
"""

from __future__ import annotations

import binascii
import functools
import re
from email.message import Message
from email.parser import BytesParser
from email.policy import Compat32
from typing import Any

from clarity.draft import clean_text, surrogate_notice
from clarity.errors import InputError
from clarity.sources.charset import (
    decode_bytes,
    label_notice,
)
from clarity.sources.document import Body
from clarity.sources.htmltext import html_to_text, meta_charset
from clarity.types import Region

_FOLD = re.compile(r"\r?\n[ \t]+")
_BOUNDARY_LINE = re.compile(r"^--([^\s\"]{1,200}?)\s*$", re.MULTILINE)
_NEWLINES = re.compile(r"\r\n?")


#: Longest ``Content-*`` header read, in characters (a real one is well under 1,000).
MAX_HEADER_CHARS = 65_536
#: Deepest nesting of MIME parts read: multiparts and attached messages together.
#: (The parser's time per line grows with the depth: 4 MB of short lines 12 levels
#: deep take about 6 s, at 0 levels about 2 s.)
MAX_MIME_DEPTH = 12
#: A ``Content-Type`` longer than this is read for its type, boundary and charset only
#: (the standard library's parameter parsing is quadratic on crafted values).
_LONG_CONTENT_TYPE = 1024
_PARAM_VALUE = re.compile(r"""\s*=\s*("[^"]{0,200}"|[^;\s"]{1,200})""")

_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,75})\?([qQbB])\?([^?\s]*)\?=")
_CONTAINER = re.compile(
    rb"^content-type:[ \t]*(?:(multipart)/[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*|message/)"
    rb"|^--([^\s\"]{1,200}?)[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)
_BOUNDARY_PARAM = re.compile(rb"""boundary\s*=\s*(?:"([^"]{1,200})"|([^\s;"]{1,200}))""", re.I)


def _word_bytes(encoding: str, text: str) -> bytes | None:
    data = text.encode("ascii", "replace")
    try:
        if encoding in "qQ":
            return binascii.a2b_qp(data, header=True)
        return binascii.a2b_base64(data + b"==")
    except (binascii.Error, ValueError):
        return None


def _decode_words(value: str) -> str:
    """RFC 2047: encoded words decoded (runs of one charset together, the space between
    two encoded words dropped), the text around them kept as it is. Linear time."""
    out: list[str] = []
    run: list[bytes] = []
    run_charset = ""
    pos = 0

    def close_run() -> None:
        if run:
            out.append(decode_bytes(b"".join(run), run_charset)[0])
            run.clear()

    for m in _ENCODED_WORD.finditer(value):
        data = _word_bytes(m.group(2), m.group(3))
        if data is None:
            continue  # not decodable: kept as written
        between = value[pos : m.start()]
        charset = m.group(1).split("*")[0]
        if between and not (run and not between.strip()):
            close_run()
            out.append(between)
        if run and charset.lower() != run_charset.lower():
            close_run()
        run.append(data)
        run_charset = charset
        pos = m.end()
    close_run()
    out.append(value[pos:])
    return "".join(out)


def _has_raw_bytes(value: str) -> bool:
    """Whether ``value`` holds 8-bit bytes the parser kept as surrogate escapes."""
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def decode_header_value(raw: str) -> str:
    """A header value as text: folded lines joined, raw 8-bit bytes and encoded words
    (``=?iso-8859-1?q?caf=E9?=``) decoded, whatever charset they claim."""
    value = _FOLD.sub(" ", raw)
    if _has_raw_bytes(value):
        value = decode_bytes(value.encode("utf-8", "surrogateescape"))[0]
    if "=?" in value:
        value = _decode_words(value)
    return value.strip()


def _header(msg: Message, name: str) -> str | None:
    for key, raw in msg.raw_items():
        if key.lower() == name:
            return decode_header_value(str(raw))
    return None


class _HeaderTooLong(Exception):
    pass


class _Policy(Compat32):
    """``compat32``, refusing a ``Content-*`` header too long to parse in good time, and
    giving every header value as text (raw 8-bit bytes decoded)."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        lowered = name.lower()
        if len(value) > MAX_HEADER_CHARS and lowered.startswith("content-"):
            raise _HeaderTooLong(f"its {name} header is {len(value):,} characters long")
        if lowered == "content-type" and len(value) > _LONG_CONTENT_TYPE:
            value = _essential_params(value)
        if _has_raw_bytes(value):  # compat32 would return a Header object, not text
            value = decode_bytes(value.encode("utf-8", "surrogateescape"))[0]
        return value


@functools.lru_cache(maxsize=32)
def _essential_params(value: str) -> str:
    """A Content-Type reduced to its type and the parameters read here (linear time)."""
    kept = [value.split(";", 1)[0].strip()[:200]]
    lowered = value.lower()
    for key in ("boundary", "charset"):
        at = lowered.find(key)
        while at >= 0:
            m = _PARAM_VALUE.match(value, at + len(key))
            if m is not None and lowered[at - 1 : at].strip(" \t;") == "":
                kept.append(f"{key}={m.group(1)}")
                break
            at = lowered.find(key, at + 1)
    return "; ".join(kept)


_POLICY = _Policy()


def mime_depth(data: bytes, limit: int = MAX_MIME_DEPTH) -> int:
    """How deep the MIME parts of ``data`` nest (stops counting past ``limit``).

    Read from the raw lines in one pass, before parsing: a multipart opens a level
    that its boundary's closing line ends (a boundary line also ends the levels opened
    inside the part before it); an attached message opens a level that ends with the
    part holding it. Lines that only look like headers may count too: an estimate on
    the safe side.
    """
    stack: list[bytes | None] = []  # boundaries; None for an attached message
    deepest = 0
    for m in _CONTAINER.finditer(data):
        line = m.group(2)
        if line is not None:  # "--boundary" starts a part, "--boundary--" ends them all
            if line in stack:
                del stack[len(stack) - stack[::-1].index(line) :]
            elif line.endswith(b"--") and line[:-2] in stack:
                del stack[len(stack) - 1 - stack[::-1].index(line[:-2]) :]
            continue
        if m.group(1) is not None:
            param = _BOUNDARY_PARAM.search(m.group(0))
            stack.append((param.group(1) or param.group(2)) if param else b"")
        else:
            stack.append(None)
        deepest = max(deepest, len(stack))
        if deepest > limit:
            break
    return deepest


def _repair_boundary(msg: Message, data: bytes) -> Message:
    """Re-read a multipart message whose Content-Type lacks its boundary parameter."""
    payload = msg.get_payload()
    if not isinstance(payload, str):
        return msg
    m = _BOUNDARY_LINE.search(payload)
    if m is None:
        return msg
    boundary = m.group(1).removesuffix("--")
    fixed = re.sub(
        rb"(?im)^(content-type:[ \t]*multipart/[\w-]+)",
        lambda h: h.group(1) + b'; boundary="' + boundary.encode("ascii", "replace") + b'"',
        data,
        count=1,
    )
    return _parse(fixed)


def _parse(data: bytes) -> Message:
    return BytesParser(policy=_POLICY).parsebytes(data)


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("content-disposition") or "").split(";")[0].strip().lower()
    return disposition == "attachment"


def _text_parts(msg: Message) -> tuple[Message | None, Message | None]:
    """The first inline ``text/plain`` and ``text/html`` parts outside attachments."""
    plain = html = None
    stack: list[Message] = [msg]  # the next part last
    while stack:
        part = stack.pop()
        ctype = part.get_content_type()
        if part.is_multipart():
            if ctype == "message/rfc822" or _is_attachment(part):
                continue
            children = part.get_payload()
            if isinstance(children, list):
                stack.extend(c for c in reversed(children) if isinstance(c, Message))
            continue
        if _is_attachment(part):
            continue
        if ctype == "text/plain" and plain is None:
            plain = part
        elif ctype == "text/html" and html is None:
            html = part
    return plain, html


def _part_bytes(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _part_text(part: Message, html: bool, notices: list[str]) -> tuple[str, str]:
    data = _part_bytes(part)
    declared = part.get_content_charset()
    if html and declared is None:
        declared = meta_charset(data)
    notice = label_notice(declared)
    if notice is not None:
        notices.append(notice)
    return decode_bytes(data, declared)


def parse_eml(data: bytes, source: str) -> Body:
    """The draft in the e-mail message ``data``; ``source`` names it in errors.

    Raises :class:`~clarity.errors.InputError` for what is not a message, has no text
    body, or is hostile (see the module's documentation)."""
    if mime_depth(data) > MAX_MIME_DEPTH:
        raise InputError(
            f"{source}: MIME parts nested too deeply (over {MAX_MIME_DEPTH} levels); not read"
        )
    try:
        return _parse_eml(data, source)
    except InputError as exc:  # from the HTML renderer: name the file
        message = str(exc)
        raise InputError(
            message if message.startswith(source) else f"{source}: {message}"
        ) from None
    except _HeaderTooLong as exc:
        raise InputError(f"{source}: not read: {exc} (the limit is {MAX_HEADER_CHARS:,})") from None
    except RecursionError:
        raise InputError(
            f"{source}: MIME parts nested too deeply (over {MAX_MIME_DEPTH} levels); not read"
        ) from None


def _parse_eml(data: bytes, source: str) -> Body:
    if not data.strip():
        raise InputError(f"{source}: empty file, not an e-mail message")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{source}: an Outlook .msg file, not an e-mail message (.eml); "
            "save the message as .eml (File > Save As)"
        )
    msg = _parse(data)
    if not list(msg.keys()):
        raise InputError(
            f"{source}: not an e-mail message (no header lines); check it as text with --kind text"
        )
    defects = [type(d).__name__ for d in msg.defects]
    if "NoBoundaryInMultipartDefect" in defects:
        msg = _repair_boundary(msg, data)
    plain, html = _text_parts(msg)
    notices: list[str] = []
    regions: list[Region] = []
    used = "html"
    text = ""
    codec = ""
    if plain is not None:
        text, codec = _part_text(plain, False, notices)
        text = _NEWLINES.sub("\n", text)
        used = "plain"
    if (plain is None or not text.strip()) and html is not None:
        markup, codec = _part_text(html, True, notices)
        text, regions = html_to_text(markup)
        used = "html"
    elif plain is None:
        types = sorted({p.get_content_type() for p in msg.walk() if not p.is_multipart()})
        found = ", ".join(types) or msg.get_content_type()
        raise InputError(f"{source}: the message has no text body (only {found})")
    for part in msg.walk():
        defects.extend(type(d).__name__ for d in part.defects)
    meta: dict[str, Any] = {
        "format": "eml",
        "body": used,
        "charset": codec,
    }
    for name in ("from", "to", "date", "message-id"):
        value = _header(msg, name)
        if value is not None:
            meta[name.replace("-", "_")] = value
    if defects:
        meta["defects"] = sorted(set(defects))
    text, replaced = clean_text(text)
    subject = _header(msg, "subject")
    if subject is not None:
        subject, in_subject = clean_text(subject)
        replaced += in_subject
    if replaced:
        notices.append(surrogate_notice(replaced))
    if notices:
        meta["notices"] = notices
    return Body(text=text, subject=subject, regions=tuple(regions), meta=meta)
