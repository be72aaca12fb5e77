"""Find lexicon terms and wordy phrases in a parsed text, in one pass each.

Each entry becomes a few spaCy ``PhraseMatcher`` patterns: the entry as written,
with hyphens as spaces or dropped (``sign-on`` / ``sign on``), and with its first
and last words in their inflected forms (``flush the DNS cache`` also matches
``flushed the DNS caches``; forms from :mod:`clarity.inflect`). Case-insensitive entries
match on ``LOWER``; entries marked ``exact`` (``IT``, not ``it``) on ``ORTH``.
Overlapping matches resolve to the longest, then the earliest.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from clarity.inflect import forms_of
from clarity.lexicon import Phrase, Term, is_acronym

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

T = TypeVar("T")


@functools.lru_cache(maxsize=16384)
def inflections(word: str) -> tuple[str, ...]:
    """The word and its inflected forms (``cache`` -> ``caches``, ``cached``...)."""
    if not word.isalpha() or is_acronym(word) or len(word) < 2:
        if is_acronym(word) and not word.endswith("s"):
            return (word, word + "s")
        return (word,)
    forms = {word}
    for values in forms_of(word.lower()).values():
        forms.update(values)
    if word[:1].isupper():
        forms = {f[:1].upper() + f[1:] for f in forms}
    return tuple(sorted(forms))


def spelling_variants(text: str) -> list[str]:
    """``single sign-on`` -> also ``single sign on`` and ``single signon``; a term of
    two words also hyphenated (``power cycle`` -> ``power-cycle``)."""
    out = [text]
    if "-" in text:
        out += [text.replace("-", " "), text.replace("-", "")]
    elif text.count(" ") == 1 and text.replace(" ", "").isalpha():
        out.append(text.replace(" ", "-"))
    return out


def token_variants(words: Sequence[str], inflect: str) -> Iterable[tuple[str, ...]]:
    """Token lists for one written form; ``inflect`` is ``edges``, ``first`` or ``none``."""
    if inflect == "none" or not words:
        yield tuple(words)
        return
    first = inflections(words[0])
    if inflect == "first" or len(words) == 1:
        for f in first:
            yield (f, *words[1:])
        return
    last = inflections(words[-1])
    for f, la in itertools.product(first, last):
        yield (f, *words[1:-1], la)


@dataclass(frozen=True)
class Match(Generic[T]):
    start: int  # token index
    end: int
    entry: T


class EntryMatcher(Generic[T]):
    """Match many entries (terms or phrases) in a ``Doc`` in one pass."""

    def __init__(self, nlp: Language, entries: Iterable[tuple[str, bool, str, T]]) -> None:
        """``entries``: ``(written form, exact case, inflect mode, payload)``."""
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._payloads: list[T] = []
        self._keys: list[int] = []
        for written, exact, inflect, payload in entries:
            key_name = f"e{len(self._payloads)}"
            key = nlp.vocab.strings.add(key_name)
            self._payloads.append(payload)
            patterns = []
            seen: set[tuple[str, ...]] = set()
            for form in spelling_variants(written):
                words = [t.text for t in nlp.make_doc(form)]
                for variant in token_variants(words, inflect):
                    v = variant if exact else tuple(w.lower() for w in variant)
                    if v not in seen:
                        seen.add(v)
                        patterns.append(Doc(nlp.vocab, words=list(v)))
            (self._orth if exact else self._lower).add(key_name, patterns)
            self._keys.append(key)
        self._index = {k: i for i, k in enumerate(self._keys)}

    def __call__(self, doc: Doc) -> list[Match[T]]:
        raw = [*self._lower(doc), *self._orth(doc)]
        # Longest first, then earliest: greedy selection of non-overlapping matches.
        raw.sort(key=lambda m: (-(m[2] - m[1]), m[1]))
        # Tokens already covered by a chosen match: one look per token of a match, so
        # the selection stays linear however many matches a long text has.
        taken = bytearray(len(doc))
        out: list[Match[T]] = []
        for key, start, end in raw:
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            out.append(Match(start, end, self._payloads[self._index[key]]))
        out.sort(key=lambda m: m.start)
        return out


def term_matcher(nlp: Language, terms: Iterable[Term]) -> EntryMatcher[Term]:
    return EntryMatcher(nlp, ((t.term, t.exact_case, "edges", t) for t in terms))


def phrase_matcher(nlp: Language, phrases: Iterable[Phrase]) -> EntryMatcher[Phrase]:
    return EntryMatcher(nlp, ((p.phrase, False, "first", p) for p in phrases))
