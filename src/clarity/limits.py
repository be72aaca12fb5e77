"""Thresholds and limits that several parts of clarity share, each defined once.

The rules, the pre-send gate, the command line, the hook, the service and its page
read these names instead of repeating the numbers; the page and the browser extension
get them from :func:`clarity.config.public_settings`, never copied into JavaScript.
This module imports nothing from clarity, so any module may import it.

Audiences and their default grades live in :data:`clarity.config.AUDIENCES`; how
``fail_on`` is spelled and parsed in :func:`clarity.config.parse_fail_on`.
"""

from __future__ import annotations

#: Messages with fewer words than this are not judged on their grade: rule R004 and
#: the pre-send ``max_grade`` test skip them (a grade computed on a few words is noise).
MIN_WORDS_FOR_GRADE = 40

#: A reply with fewer distinct unexplained technical terms than this (J001, J002, J003)
#: gets J001's and J002's as ``info``, not ``warning``: one term in an otherwise plain
#: reply is a hint, several are a reply the customer cannot follow
#: (:mod:`clarity.rules.calibrate`).
MIN_JARGON_TERMS_TO_WARN = 2

#: A politeness (the tone model's P(polite), 0-1) at or above this is labelled
#: ``polite``.
POLITE_FROM = 0.6

#: A politeness below this is labelled ``impolite``; the page marks such sentences.
IMPOLITE_BELOW = 0.4

#: Rule T013 judges at most this many of the customer's questions (the first ones): a
#: real message asks a few; a pasted list of hundreds must not make a check slow.
MAX_QUESTIONS = 25

#: Default size limit of one text, in characters (the ``max_chars`` setting); longer
#: texts are refused with :class:`~clarity.errors.InputError`.
MAX_CHARS = 200_000

#: The largest ``max_chars`` accepted: spaCy's default ``nlp.max_length``, past which
#: the parser refuses a text (and needs about 1 GB of memory per 100,000 characters).
MAX_CHARS_CEILING = 1_000_000

#: Bytes read at most from one input file or standard input; larger inputs are
#: refused before decoding.
MAX_INPUT_BYTES = 4 * 1024 * 1024

#: Bytes read at most from a configuration file (``clarity.toml``, ``pyproject.toml``,
#: ``--config FILE``): a larger "configuration" (or ``/dev/zero``) is refused.
MAX_CONFIG_BYTES = 1024 * 1024

#: Bytes read at most from one extra lexicon (the ``extra_lexicons`` setting): about
#: 150,000 terms at the shipped lexicon's row length.
MAX_LEXICON_BYTES = 16 * 1024 * 1024

#: The accepted range, inclusive, of each numeric setting. Anything outside it, and
#: NaN or infinity, is a :class:`~clarity.errors.ConfigError`. Grades are US school
#: grades (Flesch-Kincaid); ``rare_word_zipf`` is on wordfreq's Zipf scale (0-8).
SETTING_RANGES: dict[str, tuple[float, float]] = {
    "target_grade": (0.0, 30.0),
    "max_sentence_grade": (0.0, 30.0),
    "max_sentence_words": (1, 1000),
    "rare_word_zipf": (0.0, 8.0),
    "max_chars": (1, MAX_CHARS_CEILING),
}
