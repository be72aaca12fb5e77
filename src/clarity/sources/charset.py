"""Bytes to text when the declared charset may be wrong, without losing a character.

E-mail gets its charset labels wrong all the time: a body declared ``iso-8859-1`` that
is really UTF-8 (or Windows-1252, with its curly quotes), a body declared UTF-8 that
was written by an old Windows client, no label at all. :func:`decode_bytes` decides in
this order and never produces U+FFFD:

1. pure ASCII is ASCII, whatever the label;
2. a multi-byte label (UTF-16, Shift-JIS, GBK...) is tried first, strictly;
3. valid UTF-8 is UTF-8 (other texts are almost never valid UTF-8 by chance);
4. a single-byte label is used; ``iso-8859-1`` and ``us-ascii`` are read as
   Windows-1252, their superset in practice (as the WHATWG encoding standard does);
5. otherwise Windows-1252, with the five bytes it leaves undefined read as Latin-1.

Only real character sets are honoured. A label naming one of Python's other codecs
(``base64``, ``rot13``, ``zlib``, ``hex``, ``uu``: bytes-to-bytes transforms; or
``unicode_escape``, ``raw_unicode_escape``, ``punycode``, ``idna``, ``undefined``,
``charmap``: text codecs that are not charsets) is treated like an unknown label, and
:func:`label_notice` says so, for the reader to record in ``meta["notices"]``.

:func:`clarity.draft.clean_text` makes text from a lax source (a JSON ``"\\ud800"`` escape)
safe to print and encode: every lone surrogate becomes U+FFFD, one character for one,
so offsets are unchanged.
"""

from __future__ import annotations

import codecs
import re

from clarity.inputs import codec_name as codec_name

_SINGLE_BYTE = re.compile(
    r"^(cp(?!932|936|949|950|65001)\d+|iso8859-\d+|latin-1|koi8-\w+|mac-\w+|ascii|tis-620"
    r"|hp-roman8|kz1048|ptcp154)$"
)
_AS_CP1252 = {"iso8859-1", "ascii", "latin-1"}
_SURROGATE = re.compile("[\udc80-\udcff]")


def label_notice(label: str | None) -> str | None:
    """Why a charset label given is not used (unknown, or not a character set), or None."""
    if not label or codec_name(label) is not None:
        return None
    stripped = label.strip().strip("\"'")
    shown = stripped[:40]
    try:
        codecs.lookup(stripped)
    except (LookupError, ValueError):
        return f"unknown charset {shown!r} ignored"
    return f"charset {shown!r} is not a character set; ignored"


def _single_byte(name: str) -> bool:
    return bool(_SINGLE_BYTE.match(name))


def cp1252_lossless(data: bytes) -> str:
    """Windows-1252, with the undefined bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D as Latin-1."""
    text = data.decode("cp1252", "surrogateescape")
    if max(text, default="\0") >= "\udc80":
        text = _SURROGATE.sub(lambda m: chr(ord(m.group()) - 0xDC00), text)
    return text


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` whose label says ``declared``; returns ``(text, codec used)``."""
    if data.isascii():
        return data.decode("ascii"), "ascii"
    name = codec_name(declared)
    if name is not None and not _single_byte(name) and name not in ("utf-8", "utf-8-sig"):
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if name is not None and _single_byte(name):
        if name in _AS_CP1252:
            return cp1252_lossless(data), "windows-1252"
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            pass
    return cp1252_lossless(data), "windows-1252"
