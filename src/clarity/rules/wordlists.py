"""The tone rules' word lists, read from ``data/`` once and compiled into patterns.

Each list is a text file, one word or phrase a line (``#`` starts a comment), so a
reviewer edits words without touching the rules. :func:`words` reads one list;
:func:`word_pattern` makes a case-insensitive whole-word pattern of it.
"""

from __future__ import annotations

import functools
import re

from clarity.data import data_path, read_lines

SOFTENERS = "tone_softeners.txt"
COURTESY = "tone_courtesy.txt"
ALTERNATIVES = "tone_alternatives.txt"
CONDITIONS = "tone_conditions.txt"
GREETINGS = "tone_greetings.txt"
SIGNOFFS = "tone_signoffs.txt"
UPSET_WORDS = "tone_upset_words.txt"
GENERIC_LEMMAS = "tone_generic_lemmas.txt"
NEGATIVE_WORDS = "tone_negative_words.txt"
FAULT_WORDS = "tone_fault_words.txt"
UPSET_WEAK_SIGNS = "upset_weak_signs.txt"
UPSET_RELIEF_WORDS = "upset_relief_words.txt"
ANSWER_SYNONYMS = "answer_synonyms.txt"
ANSWER_HEDGES = "answer_hedges.txt"
ANSWER_DOERS = "answer_doers.txt"
RHETORICAL_QUESTIONS = "rhetorical_questions.txt"

#: A two-word entry "<someone> can" does not count before "'t" or "not": "we can't".
_NOT_NEGATED = r"(?!'t|not)"


@functools.cache
def words(name: str) -> tuple[str, ...]:
    """The entries of one word list, in file order."""
    return tuple(read_lines(data_path(name)))


def _is_subject_can(entry: str) -> bool:
    return len(entry.split()) == 2 and entry.endswith(" can")


@functools.cache
def word_pattern(name: str, prefix: str = r"\b") -> re.Pattern[str]:
    """One case-insensitive pattern matching any entry of ``name`` as whole words,
    after ``prefix`` (``\\b`` by default; ``^\\W*`` for what a line starts with).

    The entries are tried in file order; a two-word entry ending in "can" ("we can")
    does not match before "'t" or "not".
    """
    alternatives = "|".join(
        re.escape(w) + (_NOT_NEGATED if _is_subject_can(w) else "") for w in words(name)
    )
    return re.compile(rf"{prefix}(?:{alternatives})\b", re.I)


@functools.cache
def related_words(name: str) -> dict[str, frozenset[str]]:
    """For a list of word groups (one group a line, words separated by spaces), each
    word with every word that shares a group with it (itself included)."""
    related: dict[str, set[str]] = {}
    for line in words(name):
        group = set(line.lower().split())
        for word in group:
            related.setdefault(word, set()).update(group)
    return {word: frozenset(group) for word, group in related.items()}
