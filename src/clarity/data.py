"""Where clarity's data files are, and how they are read.

The files live in ``data/`` at the repository root and are shipped inside the wheel
as ``clarity/data``. An editable install has no ``clarity/data``, so the repository's
``data/`` is used instead.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from clarity.errors import DataError


@functools.lru_cache(maxsize=1)
def data_dir() -> Path:
    """The folder that holds clarity's shipped data files."""
    packaged = Path(str(resources.files("clarity"))) / "data"
    if packaged.is_dir():
        return packaged
    repo = Path(__file__).resolve().parents[2] / "data"
    if repo.is_dir():
        return repo
    raise DataError(f"clarity's data folder is missing (looked in {packaged} and {repo})")


def data_path(name: str) -> Path:
    """Path of one shipped data file, e.g. ``data_path("jargon_lexicon.csv")``."""
    return data_dir() / name


def read_csv(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each row of a UTF-8 CSV file with a header.

    Raises :class:`DataError` naming the file and line when a required column is
    missing from the header or empty in a row.
    """
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise DataError(f"cannot read data file {path}: {exc.strerror or exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise DataError(f"{path}: header lacks column(s) {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            clean = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if not any(clean.values()):
                continue
            if clean.get(header[0], "").startswith("#"):
                continue
            empty = [c for c in required if not clean.get(c)]
            if empty:
                raise DataError(f"{path}:{line}: empty required column(s) {', '.join(empty)}")
            yield line, clean


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a text data file, without ``#`` comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot read data file {path}: {exc.strerror or exc}") from exc
    out = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


class SortedLines:
    """Look keys up in lines of ``"key rest"`` sorted by key, by binary search over the
    text itself (about 17 steps for 100,000 lines): reading such a file takes
    milliseconds where making a dictionary of it takes a tenth of a second or more,
    paid by every new process. Used for the CMU pronouncing dictionary and the
    English word frequencies."""

    def __init__(self, raw: str) -> None:
        self._raw = raw if raw.endswith("\n") else raw + "\n"

    def _normal(self, key: str) -> str:
        """A line's key as looked up (a subclass may drop variant marks)."""
        return key

    def _key(self, start: int) -> tuple[str, int]:
        """The key of the line at ``start`` and the offset of the next line."""
        raw = self._raw
        end = raw.find("\n", start)
        space = raw.find(" ", start, end)
        return self._normal(raw[start : space if space >= 0 else end]), end + 1

    def rest(self, key: str) -> str | None:
        """What follows the key on the first line of ``key`` (``""`` if nothing), or
        ``None`` when no line has it."""
        raw = self._raw
        lo, hi = 0, len(raw)
        while lo < hi:
            mid = (lo + hi) // 2
            start = max(raw.rfind("\n", lo, mid) + 1, lo) if mid > lo else lo
            found, after = self._key(start)
            if found < key:
                lo = after
            else:
                hi = start
        if lo >= len(raw):
            return None
        found, after = self._key(lo)
        if found != key:
            return None
        return raw[lo : after - 1].partition(" ")[2]
