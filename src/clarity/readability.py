"""Readability figures: textstat for the message, the same formulas per sentence.

Message-level metrics come from textstat (pinned to a release that needs no
download; see :mod:`clarity.syllables`). Per-sentence difficulty uses the spaCy
sentence and word boundaries with the Flesch formulas, so that a sentence's grade
can be reported at its offsets.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from clarity.syllables import count_word, install_into_textstat
from clarity.types import Readability, SentenceScore


def flesch_kincaid_grade(words: int, sentences: int, syllables: int) -> float:
    """Flesch-Kincaid grade: ``0.39 * words/sentences + 11.8 * syllables/words - 15.59``."""
    if words == 0 or sentences == 0:
        return 0.0
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    """Flesch reading ease: ``206.835 - 1.015 * words/sentences - 84.6 * syllables/words``.

    100 is very easy, 60-70 plain English, below 30 very hard.
    """
    if words == 0 or sentences == 0:
        return 100.0
    return 206.835 - 1.015 * words / sentences - 84.6 * syllables / words


@functools.lru_cache(maxsize=1)
def _textstat() -> Any:
    install_into_textstat()
    import textstat

    return textstat


# name -> textstat function name; grade-like metrics first.
TEXTSTAT_METRICS: dict[str, str] = {
    "flesch_kincaid_grade": "flesch_kincaid_grade",
    "flesch_reading_ease": "flesch_reading_ease",
    "gunning_fog": "gunning_fog",
    "smog_index": "smog_index",
    "coleman_liau_index": "coleman_liau_index",
    "automated_readability_index": "automated_readability_index",
    "dale_chall_readability_score": "dale_chall_readability_score",
}


def textstat_metrics(text: str) -> dict[str, float]:
    """The textstat metrics of ``text``, rounded to two decimals."""
    ts = _textstat()
    out: dict[str, float] = {}
    for name, func_name in TEXTSTAT_METRICS.items():
        func: Callable[[str], float] = getattr(ts, func_name)
        out[name] = round(float(func(text)), 2)
    return out


def sentence_score(start: int, end: int, words: Sequence[str]) -> SentenceScore:
    """Difficulty of one sentence from its words."""
    syllables = sum(count_word(w) for w in words)
    n = len(words)
    return SentenceScore(
        start=start,
        end=end,
        words=n,
        syllables=syllables,
        grade=round(flesch_kincaid_grade(n, 1, syllables), 2),
        reading_ease=round(flesch_reading_ease(n, 1, syllables), 2),
    )


def measure(prose: str, sentences: Sequence[SentenceScore]) -> Readability:
    """Message-level readability of ``prose`` (the writer's own text only).

    ``grade`` is the Flesch-Kincaid grade and ``reading_ease`` the Flesch reading
    ease, both from textstat; ``metrics`` holds the other textstat indices.
    """
    words = sum(s.words for s in sentences)
    if words == 0:
        return Readability(
            grade=0.0,
            reading_ease=100.0,
            metrics={},
            words=0,
            sentences=0,
            sentence_scores=tuple(sentences),
        )
    metrics = textstat_metrics(prose)
    return Readability(
        grade=metrics["flesch_kincaid_grade"],
        reading_ease=metrics["flesch_reading_ease"],
        metrics=metrics,
        words=words,
        sentences=len(sentences),
        sentence_scores=tuple(sentences),
    )
