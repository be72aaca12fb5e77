"""Word lists as data: the jargon lexicon, acronyms and wordy phrases.

Each loader reads one CSV or text file from ``data/`` (see ``docs/data-files.md``)
into plain immutable records. Matching them against a parsed text is
:mod:`clarity.matching`'s job.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from clarity.data import data_path, read_csv, read_lines
from clarity.errors import DataError
from clarity.inputs import read_capped
from clarity.limits import MAX_LEXICON_BYTES
from clarity.types import Applicability

CATEGORIES = (
    "networking",
    "accounts-security",
    "devices",
    "operating-systems",
    "email-web",
    "cloud-servers",
    "software-delivery",
    "service-desk",
)


def is_acronym(word: str) -> bool:
    """``SSO``, ``2FA``, ``VPNs``: two or more capitals, maybe digits, maybe a plural s."""
    if word.islower():  # no capital at all: most words, answered at once
        return False
    core = word[:-1] if word.endswith("s") and len(word) > 2 else word
    caps = sum(ch.isupper() for ch in core)
    return caps >= 2 and all(ch.isupper() or ch.isdigit() or ch == "&" for ch in core)


#: Values of the optional ``fix`` column of the lexicon and ``acronyms.csv``: empty or
#: ``swap`` (the default), or ``display`` (suggested, never applied by ``fix --unsafe``).
FIX_VALUES = frozenset({"", "swap", "display"})


@dataclass(frozen=True)
class Term:
    """One jargon lexicon entry."""

    term: str
    plain: tuple[str, ...]
    explanation: str
    category: str
    technical: bool
    exact_case: bool
    source: str
    #: Whether ``clarity fix --unsafe`` may swap ``plain[0]`` in; ``False`` when the
    #: right plain word depends on the sense (column ``fix`` is ``display``).
    swappable: bool = True

    @property
    def is_acronym(self) -> bool:
        return " " not in self.term and is_acronym(self.term)


@dataclass(frozen=True)
class Phrase:
    """One wordy-phrase entry."""

    phrase: str
    replacements: tuple[str, ...]
    applicability: Applicability
    note: str
    #: From ``data/formal_words.csv``: a formal word or mild padding (W002, opt-in),
    #: not the wordy phrases W001 reports by default.
    formal: bool = False


def _split_alternatives(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split("|") if a.strip())


def check_text_file(path: Path, what: str = "lexicon", limit: int = MAX_LEXICON_BYTES) -> None:
    """Refuse, with a :class:`DataError` naming ``path`` (and the line of a bad byte),
    a ``what`` file that is missing, a folder, unreadable, larger than ``limit`` bytes
    (read at most ``limit + 1``, so a device such as ``/dev/zero`` ends), binary (a NUL
    byte) or not UTF-8: a team's file is checked before the CSV reader sees it."""
    raw = read_capped(path, limit, what, DataError)
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise DataError(f"{path}:{line}: a NUL byte: binary, not a {what} file")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(f"{path}:{line}: not valid UTF-8 (byte {exc.start})") from None


def load_terms(path: Path) -> list[Term]:
    """Read a lexicon file (the shipped one or a team's ``extra_lexicons``).

    Every problem is a :class:`DataError` naming the file, and the line for a bad row
    (see :func:`check_text_file` for what a file must be).
    """
    check_text_file(path)
    terms: list[Term] = []
    line = 0
    try:
        for line, row in read_csv(path, ("term", "plain", "category", "technical")):
            terms.append(_term(path, line, row))
    except csv.Error as exc:
        raise DataError(f"{path}: invalid CSV after line {line}: {exc}") from None
    return terms


def _term(path: Path, line: int, row: dict[str, str]) -> Term:
    """One lexicon row as a :class:`Term` (``line`` for messages)."""
    where = f"{path}:{line}"
    if row["category"] not in CATEGORIES:
        raise DataError(
            f"{where}: unknown category {row['category']!r} "
            f"(expected one of: {', '.join(CATEGORIES)})"
        )
    if row["technical"] not in {"0", "1"}:
        raise DataError(f"{where}: column 'technical' must be 0 or 1")
    case = row.get("case", "").lower()
    if case not in {"", "any", "exact"}:
        raise DataError(f"{where}: column 'case' must be 'any' or 'exact'")
    fix = row.get("fix", "").lower()
    if fix not in FIX_VALUES:
        raise DataError(f"{where}: column 'fix' must be 'swap' or 'display'")
    term = " ".join(row["term"].split())
    exact = case == "exact" or (case == "" and " " not in term and is_acronym(term))
    return Term(
        term=term,
        plain=_split_alternatives(row["plain"]),
        explanation=row.get("explanation", ""),
        category=row["category"],
        technical=row["technical"] == "1",
        exact_case=exact,
        source=where,
        swappable=fix != "display",
    )


@functools.lru_cache(maxsize=1)
def builtin_terms() -> tuple[Term, ...]:
    return tuple(load_terms(data_path("jargon_lexicon.csv")))


def lexicon(extra: Iterable[Path] = ()) -> list[Term]:
    """The shipped lexicon plus extra files; a later entry for a term replaces an earlier."""
    by_key: dict[str, Term] = {}
    for t in [*builtin_terms(), *(t for p in extra for t in load_terms(p))]:
        by_key[t.term if t.exact_case else t.term.lower()] = t
    return list(by_key.values())


@dataclass(frozen=True)
class Sense:
    """One entry of ``jargon_senses.csv``: an everyday word that is jargon in its
    technical sense, and the words around it that show that sense."""

    word: str
    pos: frozenset[str]
    near: frozenset[str]
    sentence: frozenset[str]
    unless: frozenset[str]
    plain: tuple[str, ...]
    explanation: str


def _word_set(value: str) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in value.split("|") if w.strip())


@functools.lru_cache(maxsize=1)
def jargon_senses() -> dict[str, Sense]:
    """``{lemma: Sense}`` from ``jargon_senses.csv`` (everyday words in a technical
    sense: "client", "profile", "seat"), each with its context cues."""
    out: dict[str, Sense] = {}
    path = data_path("jargon_senses.csv")
    for line, row in read_csv(path, ("word", "plain")):
        word = row["word"].lower()
        if word in out:
            raise DataError(f"{path}:{line}: duplicate word {word!r}")
        pos = frozenset(p.strip().upper() for p in row.get("pos", "").split("|") if p.strip())
        out[word] = Sense(
            word=word,
            pos=pos,
            near=_word_set(row.get("near", "")),
            sentence=_word_set(row.get("sentence", "")),
            unless=_word_set(row.get("unless", "")),
            plain=_split_alternatives(row["plain"]),
            explanation=row.get("explanation", ""),
        )
    return out


@functools.lru_cache(maxsize=1)
def acronym_expansions() -> dict[str, str]:
    """``{"SSO": "single sign-on", ...}`` from ``acronyms.csv``."""
    return {row["acronym"]: row["expansion"] for _, row in _acronym_rows()}


@functools.lru_cache(maxsize=1)
def display_only_acronyms() -> frozenset[str]:
    """Acronyms whose expansion is shown but never swapped in (column ``fix`` is
    ``display``): "a different IP" means an IP address, not "internet protocol"."""
    return frozenset(row["acronym"] for _, row in _acronym_rows() if row.get("fix") == "display")


@functools.lru_cache(maxsize=1)
def _acronym_rows() -> list[tuple[int, dict[str, str]]]:
    path = data_path("acronyms.csv")
    rows = list(read_csv(path, ("acronym", "expansion")))
    for line, row in rows:
        if row.get("fix", "").lower() not in FIX_VALUES:
            raise DataError(f"{path}:{line}: column 'fix' must be 'swap' or 'display'")
    return rows


@functools.lru_cache(maxsize=1)
def common_acronyms() -> frozenset[str]:
    """Acronyms everyone knows (``PDF``, ``USB``, ``OK``)."""
    return frozenset(read_lines(data_path("common_acronyms.txt")))


@functools.lru_cache(maxsize=1)
def wordy_phrases() -> tuple[Phrase, ...]:
    """The wordy phrases (``data/wordy_phrases.csv``, W001) and the formal words
    (``data/formal_words.csv``, W002, marked ``formal``); a phrase is in one list only."""
    out = []
    seen: set[str] = set()
    for name, formal in (("wordy_phrases.csv", False), ("formal_words.csv", True)):
        path = data_path(name)
        for line, row in read_csv(path, ("phrase", "applicability")):
            phrase = " ".join(row["phrase"].lower().split())
            if phrase in seen:
                raise DataError(f"{path}:{line}: duplicate phrase {phrase!r}")
            seen.add(phrase)
            try:
                applicability = Applicability(row["applicability"].lower())
            except ValueError:
                raise DataError(
                    f"{path}:{line}: applicability must be safe, unsafe or display"
                ) from None
            out.append(
                Phrase(
                    phrase=phrase,
                    replacements=_split_alternatives(row.get("replacement", "")),
                    applicability=applicability,
                    note=row.get("note", ""),
                    formal=formal,
                )
            )
    return tuple(out)


@functools.lru_cache(maxsize=1)
def passive_exceptions() -> frozenset[str]:
    """Participles whose "be + participle" reads as a state, not a passive."""
    return frozenset(w.lower() for w in read_lines(data_path("passive_exceptions.txt")))


TONE_KINDS = (
    "blame",
    "blame-place",
    "condescension",
    "minimizing",
    "dismissal",
    "absolute",
    "negative",
)


@dataclass(frozen=True)
class TonePhrase:
    """One entry of ``tone_phrases.csv``: a phrase and the tone problem it signals."""

    phrase: str
    kind: str
    alternative: str
    note: str


@functools.lru_cache(maxsize=1)
def tone_phrases() -> tuple[TonePhrase, ...]:
    out = []
    path = data_path("tone_phrases.csv")
    for line, row in read_csv(path, ("phrase", "kind")):
        if row["kind"] not in TONE_KINDS:
            raise DataError(f"{path}:{line}: kind must be one of {', '.join(TONE_KINDS)}")
        out.append(
            TonePhrase(
                phrase=" ".join(row["phrase"].lower().split()),
                kind=row["kind"],
                alternative=row.get("alternative", ""),
                note=row.get("note", ""),
            )
        )
    return tuple(out)


@functools.lru_cache(maxsize=1)
def curt_verbs() -> frozenset[str]:
    return frozenset(read_lines(data_path("curt_verbs.txt")))


@functools.lru_cache(maxsize=1)
def empathy_phrases() -> tuple[str, ...]:
    return tuple(read_lines(data_path("empathy_phrases.txt")))
