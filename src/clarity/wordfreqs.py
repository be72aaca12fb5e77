"""How common an English word is: ``wordfreq``'s Zipf scale, from a shipped table.

The Zipf scale runs from 0 (not in the list) to about 8 ("the"); 3 is a word met
about once in a million words. Rules J001-J003 and T-rules ask it for many words of
every draft. Importing ``wordfreq`` and loading its English list takes about a third
of a second, paid by every new ``clarity check`` process, so the values of every word
of lower-case letters a-z in that list are shipped in ``data/english_zipf.txt.gz``
(``python -m clarity.datagen --write`` makes it from the installed ``wordfreq``; a test
fails when it is out of date). Any other word ("e-mail", "café", "don't") goes to
``wordfreq`` itself, which tokenizes and normalizes it first.
"""

from __future__ import annotations

import functools
import gzip
import re

from clarity.data import data_path

ENGLISH_FILE = "english_zipf.txt.gz"

_LETTERS = re.compile(r"[a-z]+")


class SortedTable:
    """Look words up in lines of ``"word value"`` sorted by word, by binary search over
    the text itself: reading the table takes milliseconds where making a dictionary
    of its 290,000 words took a tenth of a second, paid by every new process."""

    def __init__(self, raw: str) -> None:
        self._raw = raw if raw.endswith("\n") else raw + "\n"

    def get(self, word: str, default: int = 0) -> int:
        """The value of ``word``'s line, or ``default``."""
        raw = self._raw
        lo, hi = 0, len(raw)
        while lo < hi:
            mid = (lo + hi) // 2
            start = max(raw.rfind("\n", lo, mid) + 1, lo) if mid > lo else lo
            space = raw.find(" ", start)
            if raw[start:space] < word:
                lo = raw.find("\n", space) + 1
            else:
                hi = start
        if lo >= len(raw):
            return default
        space = raw.find(" ", lo)
        if raw[lo:space] != word:
            return default
        return int(raw[space + 1 : raw.find("\n", space)])


@functools.lru_cache(maxsize=1)
def _table() -> SortedTable:
    """Word -> Zipf frequency in hundredths, for words of letters a-z."""
    return SortedTable(gzip.decompress(data_path(ENGLISH_FILE).read_bytes()).decode("ascii"))


@functools.lru_cache(maxsize=65536)
def zipf_en(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")``: from the table for a word of lower-case
    letters a-z, else from ``wordfreq``."""
    if _LETTERS.fullmatch(word):
        return _table().get(word, 0) / 100
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))
