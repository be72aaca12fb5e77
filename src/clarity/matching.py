"""Find lexicon terms and wordy phrases in a parsed text, in one pass each.

Each entry becomes a few token sequences: the entry as written,
with hyphens as spaces or dropped (``sign-on`` / ``sign on``), and with its first
and last words in their inflected forms (``flush the DNS cache`` also matches
``flushed the DNS caches``; forms from :mod:`clarity.inflect`). Case-insensitive entries
match on ``LOWER``; entries marked ``exact`` (``IT``, not ``it``) on ``ORTH``.
Overlapping matches resolve to the longest, then the earliest.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from clarity.inflect import forms_of
from clarity.lexicon import Phrase, Term, is_acronym

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.strings import StringStore
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


class _Hashes(dict[str, int]):
    """Each word's string-store hash, computed once: the lexicon's variants repeat
    the same few thousand words ninety thousand times."""

    def __init__(self, strings: StringStore) -> None:
        super().__init__()
        self._strings = strings

    def __missing__(self, word: str) -> int:
        value = self[word] = self._strings[word]
        return value


@dataclass(frozen=True)
class Match(Generic[T]):
    start: int  # token index
    end: int
    entry: T


def _tokenizer(nlp: Language) -> Callable[[str], list[str]]:
    """The token texts of an entry as ``nlp`` tokenizes text. spaCy's tokenizer never
    splits a word of letters alone that is not one of its special cases ("cannot"),
    so words separated by single spaces are split here without it (two thirds of the
    entries; the tokenizer is the slow part of building the matchers)."""
    from spacy.tokenizer import Tokenizer

    special = set(nlp.tokenizer.rules or {}) if isinstance(nlp.tokenizer, Tokenizer) else None

    def tokenize(form: str) -> list[str]:
        words = form.split(" ")
        if special is not None and all(w.isalpha() and w not in special for w in words):
            return words
        return [t.text for t in nlp.make_doc(form)]

    return tokenize


class EntryMatcher(Generic[T]):
    """Match many entries (terms or phrases) in a ``Doc`` in one pass.

    Each entry's token sequences (its spelling and inflection variants, tokenized as
    the pipeline tokenizes text) are indexed by their first token, or first two; a
    text is matched by looking each of its tokens (and pairs) up. Building it costs a
    tokenizer call per written form and no ``Doc`` per variant, which a
    ``PhraseMatcher`` needs (a third of a second for the lexicon, paid by every new
    process)."""

    def __init__(self, nlp: Language, entries: Iterable[tuple[str, bool, str, T]]) -> None:
        """``entries``: ``(written form, exact case, inflect mode, payload)``."""
        self._payloads: list[T] = []
        # Per attribute (case-folded entries match on ``LOWER``, exact ones on
        # ``ORTH``), all as string-store hashes: one-token sequences by their token,
        # longer ones by their first two, with (the sequence,) the payload index and 0
        # for a form as written or 1 for an inflected one.
        self._one: tuple[dict[int, list[tuple[int, int]]], ...] = ({}, {})
        self._many: tuple[dict[tuple[int, int], list[tuple[tuple[int, ...], int, int]]], ...] = (
            {},
            {},
        )
        hashes = _Hashes(nlp.vocab.strings)
        tokenize = _tokenizer(nlp)
        for written, exact, inflect, payload in entries:
            index = len(self._payloads)
            self._payloads.append(payload)
            seen: set[tuple[str, ...]] = set()
            for form in spelling_variants(written):
                words = tokenize(form)
                as_written = tuple(words)
                for variant in token_variants(words, inflect):
                    v = variant if exact else tuple(map(str.lower, variant))
                    if not v or v in seen:
                        continue
                    seen.add(v)
                    inflected = int(variant != as_written)
                    key = tuple(map(hashes.__getitem__, v))
                    if len(key) == 1:
                        self._one[exact].setdefault(key[0], []).append((index, inflected))
                    else:
                        pair = (key[0], key[1])
                        self._many[exact].setdefault(pair, []).append((key, index, inflected))

    def __call__(self, doc: Doc) -> list[Match[T]]:
        from spacy.attrs import LOWER, ORTH

        raw: list[tuple[int, int, int, int]] = []  # (start, end, inflected, payload index)
        columns = doc.to_array([LOWER, ORTH]).T.tolist() if len(doc) else [[], []]
        for exact, words in enumerate(columns):
            one, many = self._one[exact], self._many[exact]
            if one:
                for i, word in enumerate(words):
                    for index, inflected in one.get(word, ()):
                        raw.append((i, i + 1, inflected, index))
            if many:
                for i, pair in enumerate(itertools.pairwise(words)):
                    for seq, index, inflected in many.get(pair, ()):
                        n = len(seq)
                        if n == 2 or tuple(words[i : i + n]) == seq:
                            raw.append((i, i + n, inflected, index))
        # Longest first, then earliest, then an entry as written before one inflected
        # ("hosts file" before "host file"): greedy selection of non-overlapping matches.
        raw.sort(key=lambda m: (m[0] - m[1], m[0], m[2]))
        # Tokens already covered by a chosen match: one look per token of a match, so
        # the selection stays linear however many matches a long text has.
        taken = bytearray(len(doc))
        out: list[Match[T]] = []
        for start, end, _, index in raw:
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            out.append(Match(start, end, self._payloads[index]))
        out.sort(key=lambda m: m.start)
        return out


def term_matcher(nlp: Language, terms: Iterable[Term]) -> EntryMatcher[Term]:
    return EntryMatcher(nlp, ((t.term, t.exact_case, "edges", t) for t in terms))


def phrase_matcher(nlp: Language, phrases: Iterable[Phrase]) -> EntryMatcher[Phrase]:
    return EntryMatcher(nlp, ((p.phrase, False, "first", p) for p in phrases))
