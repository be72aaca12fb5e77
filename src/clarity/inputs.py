"""Reading drafts from files and standard input, with clear errors for bad input."""

from __future__ import annotations

import codecs
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from clarity.errors import InputError

#: Files larger than this many bytes are refused before they are read.
MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Draft:
    """One text to check and where it came from."""

    source: str
    text: str
    path: Path | None = None
    #: The encoding the bytes were decoded with (``utf-8-sig`` when they had a BOM),
    #: so that ``clarity fix --write`` writes the file back the same way.
    encoding: str = "utf-8"


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control characters, in the first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(head) > 0.1


def choose_encoding(data: bytes, encoding: str | None = None) -> str:
    """``encoding`` if given; else UTF-16 or UTF-8 with BOM when the data starts with
    one; else UTF-8."""
    if encoding is not None:
        return encoding
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return "utf-8"


def decode(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode ``data`` as ``encoding`` (see :func:`choose_encoding`)."""
    if looks_binary(data) and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{source}: looks like a binary file, not text")
    encoding = choose_encoding(data, encoding)
    try:
        return data.decode(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid {encoding.replace('-sig', '')} (byte {exc.start}); "
            "pass --encoding, e.g. --encoding cp1252"
        ) from None


def read_bytes(path: str, max_bytes: int = MAX_BYTES) -> tuple[bytes, str, Path | None]:
    """The bytes of ``path`` (``-`` for standard input): ``(data, source, path)``."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        source = "<stdin>"
        file_path = None
    else:
        file_path = Path(path)
        source = path
        if not file_path.exists():
            raise InputError(f"{path}: no such file")
        if file_path.is_dir():
            raise InputError(f"{path}: is a directory; name the files to check")
        try:
            size = file_path.stat().st_size
            if size > max_bytes:
                raise InputError(f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit")
            data = file_path.read_bytes()
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(f"{source}: input is over the {max_bytes:,}-byte limit")
    return data, source, file_path


def read_draft(path: str, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> Draft:
    """Read one path (``-`` for standard input) into a :class:`Draft`."""
    data, source, file_path = read_bytes(path, max_bytes)
    text = decode(data, source, encoding)
    return Draft(source=source, text=text, path=file_path, encoding=choose_encoding(data, encoding))


def stdin_is_terminal() -> bool:
    try:
        return os.isatty(sys.stdin.fileno())
    except (OSError, ValueError):
        return False
