"""Word n-grams for the tone model, in pure Python.

The same function tokenizes text when the model is trained (scikit-learn's vectorizer
is handed its output) and when it predicts (numpy only), so both sides see exactly the
same terms, and every term keeps the character offsets it came from.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Mapping, Set
from dataclasses import dataclass
from typing import Any

#: Runs of word characters, and runs of punctuation ("?", "!!", "...", "@") as tokens too.
DEFAULT_TOKEN_PATTERN = r"(?u)\w+|[^\w\s]+"


@dataclass(frozen=True)
class NgramSettings:
    """How text becomes terms: the regular expression, case folding and n-gram sizes."""

    token_pattern: str = DEFAULT_TOKEN_PATTERN
    lowercase: bool = True
    ngram_range: tuple[int, int] = (1, 2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "token_pattern": self.token_pattern,
            "lowercase": self.lowercase,
            "ngram_range": list(self.ngram_range),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NgramSettings:
        low, high = data["ngram_range"]
        return cls(str(data["token_pattern"]), bool(data["lowercase"]), (int(low), int(high)))


@dataclass(frozen=True)
class Term:
    """One n-gram occurrence: its text (space-joined tokens) and ``[start, end)`` offsets."""

    text: str
    start: int
    end: int


@functools.lru_cache(maxsize=8)
def compiled_pattern(token_pattern: str) -> re.Pattern[str]:
    return re.compile(token_pattern)


def terms(text: str, settings: NgramSettings, offset: int = 0) -> list[Term]:
    """Return the n-grams of ``text`` in order, with offsets shifted by ``offset``.

    Tokens are the matches of ``settings.token_pattern`` on the original text (folded to
    lower case afterwards, so offsets always point into the original); an n-gram is
    ``n`` consecutive tokens joined by one space.
    """
    pattern = compiled_pattern(settings.token_pattern)
    tokens = [
        (m.group().lower() if settings.lowercase else m.group(), m.start(), m.end())
        for m in pattern.finditer(text)
    ]
    low, high = settings.ngram_range
    out: list[Term] = []
    for n in range(low, high + 1):
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            out.append(
                Term(" ".join(t[0] for t in window), window[0][1] + offset, window[-1][2] + offset)
            )
    return out


def known_terms(
    text: str,
    settings: NgramSettings,
    vocabulary: Container[str],
    offset: int = 0,
    openers: Set[str] | None = None,
) -> list[Term]:
    """The first occurrence of each n-gram of ``text`` that ``vocabulary`` holds, as
    :func:`terms` would give it (same tokens, same offsets), without making a
    :class:`Term` of every other n-gram: what the model reads at check time.
    ``openers``, when given, are the first words of the vocabulary's longer n-grams:
    an n-gram opening with another word is not looked up."""
    matches = list(compiled_pattern(settings.token_pattern).finditer(text))
    if settings.lowercase:
        words = [m.group().lower() for m in matches]
    else:
        words = [m.group() for m in matches]
    low, high = settings.ngram_range
    out: list[Term] = []
    seen: set[str] = set()
    for n in range(low, high + 1):
        for i in range(len(words) - n + 1):
            if n > 1:
                if openers is not None and words[i] not in openers:
                    continue
                gram = " ".join(words[i : i + n])
            else:
                gram = words[i]
            if gram in vocabulary and gram not in seen:
                seen.add(gram)
                start, end = matches[i].start(), matches[i + n - 1].end()
                out.append(Term(gram, start + offset, end + offset))
    return out
