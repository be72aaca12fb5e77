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
"""

from __future__ import annotations

import codecs
import re

_SINGLE_BYTE = re.compile(
    r"^(cp(?!932|936|949|950|65001)\d+|iso8859-\d+|latin-1|koi8-\w+|mac-\w+|ascii|tis-620"
    r"|hp-roman8|kz1048|ptcp154)$"
)
_AS_CP1252 = {"iso8859-1", "ascii", "latin-1"}
_SURROGATE = re.compile("[\udc80-\udcff]")


def codec_name(label: str | None) -> str | None:
    """Python's name for a charset label, or None when unknown or missing."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return name.replace("_", "-")


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
