"""``.eml`` files: RFC 5322 / MIME messages read with the standard library.

The message is parsed with :mod:`email` and its modern policy
(:data:`email.policy.default`). The draft is the body a reader sees:

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
"""

from __future__ import annotations

import email.errors
import email.header
import email.policy
import re
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import Any

from clarity.errors import InputError
from clarity.sources.charset import decode_bytes
from clarity.sources.document import Body
from clarity.sources.htmltext import html_to_text, meta_charset
from clarity.types import Region

_FOLD = re.compile(r"\r?\n[ \t]+")
_BOUNDARY_LINE = re.compile(r"^--([^\s\"]{1,200}?)\s*$", re.MULTILINE)
_NEWLINES = re.compile(r"\r\n?")


def decode_header_value(raw: str) -> str:
    """A header value as text: folded lines joined, raw 8-bit bytes and encoded words
    (``=?iso-8859-1?q?caf=E9?=``) decoded, whatever charset they claim."""
    value = _FOLD.sub(" ", raw)
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = decode_bytes(value.encode("utf-8", "surrogateescape"))[0]
    if "=?" not in value:
        return value.strip()
    try:
        pieces = email.header.decode_header(value)
    except (ValueError, email.errors.HeaderParseError):
        return value.strip()
    out = []
    for chunk, charset in pieces:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:
            out.append(chunk.decode("raw-unicode-escape"))
        else:
            out.append(decode_bytes(chunk, charset)[0])
    return "".join(out).strip()


def _header(msg: Message, name: str) -> str | None:
    for key, raw in msg.raw_items() if isinstance(msg, EmailMessage) else msg.items():
        if key.lower() == name:
            return decode_header_value(str(raw))
    return None


def _repair_boundary(msg: EmailMessage, data: bytes) -> EmailMessage:
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


def _parse(data: bytes) -> EmailMessage:
    parser = BytesParser(policy=email.policy.default)
    return parser.parsebytes(data)


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("content-disposition") or "").split(";")[0].strip().lower()
    return disposition == "attachment"


def _text_parts(msg: Message) -> tuple[Message | None, Message | None]:
    """The first inline ``text/plain`` and ``text/html`` parts outside attachments."""
    plain = html = None
    stack: list[Message] = [msg]
    while stack:
        part = stack.pop(0)
        ctype = part.get_content_type()
        if part.is_multipart():
            if ctype == "message/rfc822" or _is_attachment(part):
                continue
            children = part.get_payload()
            if isinstance(children, list):
                stack[0:0] = [c for c in children if isinstance(c, Message)]
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


def _part_text(part: Message, html: bool) -> tuple[str, str]:
    data = _part_bytes(part)
    declared = part.get_content_charset()
    if html and declared is None:
        declared = meta_charset(data)
    return decode_bytes(data, declared)


def parse_eml(data: bytes, source: str) -> Body:
    """The draft in the e-mail message ``data``; ``source`` names it in errors."""
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
    regions: list[Region] = []
    used = "html"
    text = ""
    codec = ""
    if plain is not None:
        text, codec = _part_text(plain, html=False)
        text = _NEWLINES.sub("\n", text)
        used = "plain"
    if (plain is None or not text.strip()) and html is not None:
        markup, codec = _part_text(html, html=True)
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
    return Body(text=text, subject=_header(msg, "subject"), regions=tuple(regions), meta=meta)
