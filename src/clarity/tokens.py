"""The token attributes of one ``Doc`` as plain Python lists, read once.

Reading ``Token.lemma_`` or ``Token.pos_`` makes a ``Token`` object and looks a string
up each time; over a draft's tokens, rule after rule, that is a large part of what
clarity's own work costs. :func:`doc_tokens` reads the attributes the rules need with
one ``Doc.to_array`` call and keeps them while the ``Doc`` lives: rules index the lists
by token position (``Token.i``).
"""

from __future__ import annotations

import bisect
import functools
import weakref
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import (
    DEP,
    HEAD,
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    from clarity.tone.features import StrategyHit

#: ``[start, end)`` character offsets.
Offsets = tuple[int, int]


class DocTokens:
    """The token attributes of one ``Doc`` the rules and the tone strategies read, as
    plain lists by token index (one ``Doc.to_array`` call), its text and sentence
    bounds, and each sentence's tone-strategy hits."""

    def __init__(self, doc: Doc) -> None:
        n = len(doc)
        arr = doc.to_array(
            [ORTH, LOWER, LEMMA, TAG, DEP, HEAD, IDX, IS_PUNCT, IS_SPACE, POS, IS_ALPHA, SPACY]
        )
        strings = doc.vocab.strings
        memo: dict[int, str] = {}

        def column(j: int) -> list[str]:
            hashes: list[int] = arr[:, j].tolist()
            for h in set(hashes) - memo.keys():
                memo[h] = strings[h]
            return [memo[h] for h in hashes]

        self.orth = column(0)
        self.lower = column(1)
        #: The lemma as spaCy gives it, and in lower case.
        self.lemma = column(2)
        lowered = {lemma: lemma.lower() for lemma in set(self.lemma)}
        self.lemma_lower = [lowered[lemma] for lemma in self.lemma]
        self.tag = column(3)
        self.dep = column(4)
        offsets: list[int] = arr[:, 5].view(np.int64).tolist()
        self.head = [i + off for i, off in enumerate(offsets)]
        self.idx: list[int] = arr[:, 6].tolist()
        self.is_punct = [bool(v) for v in arr[:, 7].tolist()]
        self.is_space = [bool(v) for v in arr[:, 8].tolist()]
        self.is_word = [not (p or sp) for p, sp in zip(self.is_punct, self.is_space, strict=True)]
        #: The coarse part of speech (``Token.pos_``) and ``Token.is_alpha``.
        self.pos = column(9)
        self.is_alpha = [bool(v) for v in arr[:, 10].tolist()]
        #: Whether a space follows the token (``Token.whitespace_`` is ``" "``).
        self.space_after = [bool(v) for v in arr[:, 11].tolist()]
        #: ``doc.text``, joined from the lists (``Doc.text`` makes a Token per word).
        self.text = "".join(
            f"{orth} " if after else orth
            for orth, after in zip(self.orth, self.space_after, strict=True)
        )
        self.has_sents = doc.has_annotation("SENT_START")
        if self.has_sents:
            flags: list[int] = doc.to_array([SENT_START]).view(np.int64).tolist()
            self.sent_starts = [0] + [i for i in range(1, n) if flags[i] == 1]
        else:
            self.sent_starts = [0]
        self._children: dict[int, list[int]] | None = None
        #: Every tone strategy's hits per sentence ``(start, end)``, filled on first use
        #: (:func:`clarity.tone.features.strategy_hits`).
        self.hits: dict[tuple[int, int], list[StrategyHit]] = {}

    @functools.cached_property
    def counted(self) -> list[bool]:
        """Whether each token is a word a reader counts: neither punctuation nor space,
        with a letter or a digit (as the engine's readability counts words)."""
        return [
            not (punct or space) and any(ch.isalnum() for ch in text)
            for text, punct, space in zip(self.orth, self.is_punct, self.is_space, strict=True)
        ]

    def __len__(self) -> int:
        return len(self.orth)

    def offsets(self, i: int) -> Offsets:
        """``[start, end)`` character offsets of token ``i``."""
        return self.idx[i], self.idx[i] + len(self.orth[i])

    def children(self, i: int) -> list[int]:
        """Indices of token ``i``'s syntactic children, in order (as ``Token.children``)."""
        if self._children is None:
            kids: dict[int, list[int]] = {}
            for child, head in enumerate(self.head):
                if head != child:
                    kids.setdefault(head, []).append(child)
            self._children = kids
        return self._children.get(i, [])

    def sentence_bounds(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentences overlapping tokens ``[start, end)``, clipped to them (as
        ``Span.sents``); the whole range when the ``Doc`` has no sentence starts."""
        if not self.has_sents or start >= end:
            return [(start, end)]
        starts = self.sent_starts
        bounds = []
        k = max(0, bisect.bisect_right(starts, start) - 1)
        while k < len(starts) and starts[k] < end:
            s_end = starts[k + 1] if k + 1 < len(starts) else len(self)
            bounds.append((max(starts[k], start), min(s_end, end)))
            k += 1
        return bounds


_DOC_TOKENS: weakref.WeakKeyDictionary[Doc, DocTokens] = weakref.WeakKeyDictionary()


def doc_tokens(doc: Doc) -> DocTokens:
    """The :class:`DocTokens` of ``doc``, read once and kept while ``doc`` lives."""
    toks = _DOC_TOKENS.get(doc)
    if toks is None or len(toks) != len(doc):
        toks = DocTokens(doc)
        _DOC_TOKENS[doc] = toks
    return toks


def span_text(span: Doc | Span) -> tuple[int, str]:
    """The offset of ``span`` in its ``Doc``'s text and its text (``Span.text``, cut
    from the token table's text without making a ``Token`` of every word)."""
    if isinstance(span, Doc):
        return 0, doc_tokens(span).text
    return span.start_char, doc_tokens(span.doc).text[span.start_char : span.end_char]
