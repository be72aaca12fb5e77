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

from clarity.data import SortedLines, data_path

ENGLISH_FILE = "english_zipf.txt.gz"

_LETTERS = re.compile(r"[a-z]+")


@functools.lru_cache(maxsize=1)
def _table() -> SortedLines:
    """Lines of ``"word value"``: the Zipf frequency in hundredths of each word of
    letters a-z, sorted by word and searched where they lie."""
    return SortedLines(gzip.decompress(data_path(ENGLISH_FILE).read_bytes()).decode("ascii"))


@functools.lru_cache(maxsize=65536)
def zipf_en(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")``: from the table for a word of lower-case
    letters a-z, else from ``wordfreq``."""
    if _LETTERS.fullmatch(word):
        value = _table().rest(word)
        return int(value) / 100 if value else 0.0
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))
