"""Bytes in: size-limited reads of files, devices, pipes and standard input, and their
decoding, with one clear error line for bad input. :mod:`clarity.sources` makes drafts
of them."""

from __future__ import annotations

import codecs
import os
import stat
import sys
from pathlib import Path
from typing import IO

from clarity.errors import ClarityError, InputError
from clarity.limits import MAX_INPUT_BYTES

#: Files larger than this many bytes are refused (read no further).
MAX_BYTES = MAX_INPUT_BYTES


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _is_wide(encoding: str | None) -> bool:
    """Whether ``encoding`` is UTF-16 or UTF-32 (whose bytes hold NULs)."""
    if encoding is None:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(("utf-16", "utf-32"))


def looks_binary(data: bytes, encoding: str | None = None) -> bool:
    """NUL bytes, or many control characters, in the first 8 KiB (text in UTF-16 or
    UTF-32, with a BOM or named by ``encoding``, is not binary)."""
    head = data[:8192]
    if not head:
        return False
    if _is_wide(encoding) or _is_wide(_bom_encoding(head)):
        return False
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(head) > 0.1


def encoding_of(data: bytes, encoding: str | None = None) -> str:
    """``encoding`` if given; else the one a BOM names (UTF-8, UTF-16, UTF-32); else
    UTF-8. What :func:`decode` uses, and what a fixed file is written back in."""
    if encoding is not None:
        return encoding
    return _bom_encoding(data) or "utf-8"


#: Python text codecs that are not character sets: never used to decode a draft.
_NOT_CHARSETS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined", "charmap"}
)


def codec_name(label: str | None) -> str | None:
    """Python's name for a charset label, or None when unknown, missing or not a
    character set (``base64``, ``rot13``, ``unicode_escape``...)."""
    if not label:
        return None
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    name = info.name.replace("_", "-")
    if not getattr(info, "_is_text_encoding", True) or name in _NOT_CHARSETS:
        return None
    return name


def check_encoding(encoding: str) -> str:
    """``encoding`` if it names a character set; InputError otherwise (an unknown
    name, or a codec such as ``rot13`` or ``unicode_escape`` that is not one)."""
    if codec_name(encoding) is None:
        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError):
            raise InputError(f"unknown encoding {encoding!r}") from None
        raise InputError(f"{encoding!r} is not a text encoding")
    return encoding


def decode(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode ``data`` as ``encoding`` (see :func:`encoding_of`)."""
    if looks_binary(data, encoding):
        raise InputError(f"{source}: looks like a binary file, not text")
    encoding = check_encoding(encoding_of(data, encoding))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid {encoding.replace('-sig', '')} (byte {exc.start}); "
            "pass --encoding, e.g. --encoding cp1252"
        ) from None
    if encoding in ("utf-16", "utf-32"):
        text = text.removeprefix("\ufeff")
    return text


def _read_limited(stream: IO[bytes], source: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{source}: input is over the {max_bytes:,}-byte limit")
    return data


def read_bytes(path: str, max_bytes: int = MAX_BYTES) -> tuple[bytes, str, Path | None]:
    """The bytes of ``path`` (``-`` for standard input): ``(data, source, path)``.

    Never reads more than ``max_bytes + 1`` bytes, whatever the file claims to be
    (devices such as ``/dev/zero`` report a size of 0)."""
    if path == "-":
        return _read_limited(sys.stdin.buffer, "<stdin>", max_bytes), "<stdin>", None
    file_path = Path(path)
    try:
        info = file_path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory; name the files to check")
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        raise InputError(f"{path}: {info.st_size:,} bytes is over the {max_bytes:,}-byte limit")
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        raise InputError(f"{path}: is a device or socket, not a file")
    try:
        with open(file_path, "rb") as stream:
            data = _read_limited(stream, path, max_bytes)
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return data, path, file_path


def read_capped(path: Path, limit: int, what: str, error: type[ClarityError]) -> bytes:
    """The bytes of a ``what`` file at ``path`` (a configuration file, a lexicon), read
    at most ``limit + 1`` bytes so a device such as ``/dev/zero`` ends; ``error`` (one
    line naming ``path``) when it is a folder, missing, unreadable or over ``limit``."""
    if path.is_dir():
        raise error(f"{path}: is a folder, not a {what} file")
    try:
        with path.open("rb") as fh:
            raw = fh.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{path}: no such {what} file") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > limit:
        raise error(f"{path}: larger than {limit / 2**20:g} MiB; not a {what} file")
    return raw


def read_stream(stream: IO[bytes], source: str = "<stdin>", max_bytes: int = MAX_BYTES) -> bytes:
    """At most ``max_bytes`` of ``stream`` (InputError beyond)."""
    return _read_limited(stream, source, max_bytes)


def stdin_is_terminal() -> bool:
    try:
        return os.isatty(sys.stdin.fileno())
    except (OSError, ValueError):
        return False
