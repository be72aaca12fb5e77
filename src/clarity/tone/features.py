"""Politeness strategies, found in a spaCy parse.

The strategies are those of Danescu-Niculescu-Mizil, Sudhof, Jurafsky, Leskovec and
Potts, "A computational approach to politeness with application to social factors"
(ACL 2013, table 3), implemented here from their descriptions, plus a few that matter
in help-desk replies (marked *extra*). Each strategy is one small function that takes a
sentence and yields the ``[start, end)`` character offsets (into ``doc.text``) of the
words that show it; its docstring is its documentation.

:func:`strategy_hits` runs every strategy over a ``Doc`` or a ``Span`` and
:func:`strategy_vector` turns the hits into the 0/1 features the classifier uses.
Word lists longer than a few dozen entries are data files: ``tone_hedges.txt``,
``tone_positive_words.txt`` and ``tone_negative_words.txt``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
from spacy.tokens import Doc, Span, Token

from clarity.data import data_path, read_lines
from clarity.errors import DataError
from clarity.tone.ngrams import NgramSettings, Term, terms

DocOrSpan: TypeAlias = Doc | Span

Offsets = tuple[int, int]
Detector = Callable[["Span"], Iterator[Offsets]]

HEDGES_FILE = "tone_hedges.txt"
POSITIVE_FILE = "tone_positive_words.txt"
NEGATIVE_FILE = "tone_negative_words.txt"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True)
class WordList:
    """Single words (matched on the lower-case form or the lemma) and phrases (regex)."""

    words: frozenset[str]
    phrases: re.Pattern[str] | None

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> WordList:
        words: set[str] = set()
        phrases: list[str] = []
        for raw in entries:
            entry = raw.strip().lower().translate(_APOSTROPHES)
            if not entry or entry.startswith("#"):
                continue
            if re.fullmatch(r"\w+", entry):
                words.add(entry)
            else:
                phrases.append(r"\s+".join(re.escape(part) for part in entry.split()))
        pattern = None
        if phrases:
            alternatives = "|".join(sorted(phrases, key=len, reverse=True))
            pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        return cls(frozenset(words), pattern)

    def find(self, sent: Span) -> Iterator[Offsets]:
        """Yield the offsets of every listed word or phrase in ``sent``."""
        for tok in sent:
            if tok.lower_ in self.words or tok.lemma_.lower() in self.words:
                yield _tok(tok)
        if self.phrases is not None:
            text = sent.text.translate(_APOSTROPHES)
            for m in self.phrases.finditer(text):
                yield sent.start_char + m.start(), sent.start_char + m.end()


@functools.lru_cache(maxsize=8)
def load_word_list(name: str) -> WordList:
    """Load the word list data file ``name`` (one entry a line, ``#`` comments)."""
    path = data_path(name)
    words = WordList.from_entries(read_lines(path))
    if not words.words and words.phrases is None:
        raise DataError(f"tone word list {path} has no entries")
    return words


# --------------------------------------------------------------------------- helpers

_YOU = frozenset({"you", "u", "ya", "ye"})
_YOUR = _YOU | {"your", "yours", "yourself", "yourselves", "ur"}
_I = frozenset({"i", "me", "my", "mine", "myself"})
_I_START = frozenset({"i", "my", "mine", "myself"})
_WE = frozenset({"we", "us", "our", "ours", "ourselves"})
_WH = frozenset({"what", "why", "who", "whom", "whose", "how", "where", "when", "which"})
_DIRECT_START = frozenset({"so", "then", "and", "but", "or"})
_PLEASE = frozenset({"please", "pls", "plz", "plese", "pleas"})
_GREETING = frozenset({"hi", "hello", "hey", "hiya", "howdy", "greetings", "dear"})
_DEFERENCE = frozenset(
    {"great", "good", "nice", "interesting", "cool", "excellent", "awesome", "wonderful",
     "fantastic", "brilliant", "terrific", "lovely", "impressive", "superb", "neat"}
)  # fmt: skip
_GRATITUDE = frozenset(
    {"thank", "thanks", "thx", "thanx", "thankyou", "appreciate", "appreciated",
     "appreciative", "grateful", "gratitude"}
)  # fmt: skip
_APOLOGY = frozenset(
    {"sorry", "apologize", "apologise", "apologies", "apology", "oops", "woops", "whoops"}
)
_APOLOGY_PHRASES = re.compile(
    r"(?<!\w)(?:excuse me|forgive me|pardon me|my bad|my mistake|my fault)(?!\w)", re.I
)
_FACTUALITY = re.compile(
    r"(?<!\w)(?:in fact|actually|the fact is|the point is|the truth is|the reality is|"
    r"in reality|in truth|as a matter of fact|of course|obviously)(?!\w)",
    re.I,
)
_BY_THE_WAY = re.compile(r"(?<!\w)(?:by the way|btw|incidentally)(?!\w)", re.I)
_INDIRECT = re.compile(
    r"(?<!\w)(?:would you mind|do you mind|would it be possible|is it possible|"
    r"i was wondering|i am wondering|i'm wondering|i wonder|"
    r"would (?:be|it be) (?:great|nice|good|helpful|wonderful|appreciated)|"
    r"if you (?:could|can|would|don't mind|do not mind|have (?:a|the) (?:chance|time|moment))|"
    r"when you (?:get|have) a (?:chance|moment|minute)|if possible|"
    r"would you be (?:willing|able|interested|so kind))(?!\w)",
    re.I,
)
_COUNTERFACTUAL = frozenset({"could", "would", "might"})
_INDICATIVE = frozenset({"can", "will"})
_OBLIGATION_MODALS = frozenset({"should", "must", "ought", "better"})
_OBLIGATION_VERBS = frozenset({"need", "have"})
_IMPERATIVE_LEAD = frozenset({"please", "just", "now", "so", "then", "and", "also", "first"})


def _tok(tok: Token) -> Offsets:
    return tok.idx, tok.idx + len(tok)


def _words(sent: Span) -> list[Token]:
    return [t for t in sent if not (t.is_punct or t.is_space)]


def _first(sent: Span) -> Token | None:
    words = _words(sent)
    return words[0] if words else None


def _is_question(sent: Span) -> bool:
    return any(t.text == "?" for t in sent)


def _regex(pattern: re.Pattern[str], sent: Span) -> Iterator[Offsets]:
    text = sent.text.translate(_APOSTROPHES)
    for m in pattern.finditer(text):
        yield sent.start_char + m.start(), sent.start_char + m.end()


def _modal_you(sent: Span, modals: frozenset[str]) -> Iterator[Offsets]:
    """Modal verbs from ``modals`` asked of "you": "could you", "can you (please) ..."."""
    for tok in sent:
        if tok.lower_ not in modals or tok.tag_ != "MD":
            continue
        following = tok.doc[tok.i + 1] if tok.i + 1 < sent.end else None
        subjects = [
            c
            for c in tok.head.children
            if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _YOU and c.i > tok.i
        ]
        if following is not None and following.lower_ in _YOU:
            yield tok.idx, following.idx + len(following)
        elif subjects:
            yield tok.idx, subjects[0].idx + len(subjects[0])


# ------------------------------------------------------------------------ strategies

STRATEGIES: dict[str, Detector] = {}


def _strategy(name: str) -> Callable[[Detector], Detector]:
    def register(func: Detector) -> Detector:
        STRATEGIES[name] = func
        return func

    return register


@_strategy("gratitude")
def gratitude(sent: Span) -> Iterator[Offsets]:
    """Thanks or appreciation: "Thanks!", "I really appreciate it"."""
    for tok in sent:
        if tok.lower_ in _GRATITUDE or tok.lemma_.lower() in _GRATITUDE:
            yield _tok(tok)


@_strategy("apology")
def apology(sent: Span) -> Iterator[Offsets]:
    """An apology: "Sorry to bother you", "I apologize", "excuse me", "my bad"."""
    for tok in sent:
        if tok.lower_ in _APOLOGY or tok.lemma_.lower() in _APOLOGY:
            yield _tok(tok)
    yield from _regex(_APOLOGY_PHRASES, sent)


@_strategy("please")
def please(sent: Span) -> Iterator[Offsets]:
    """ "please" inside the sentence: "Could you please send it?"."""
    first = _first(sent)
    for tok in sent:
        if tok.lower_ in _PLEASE and (first is None or tok.i != first.i):
            yield _tok(tok)


@_strategy("please_start")
def please_start(sent: Span) -> Iterator[Offsets]:
    """A sentence that opens with "please": "Please send it" (less polite than inside)."""
    first = _first(sent)
    if first is not None and first.lower_ in _PLEASE:
        yield _tok(first)


@_strategy("greeting")
def greeting(sent: Span) -> Iterator[Offsets]:
    """A greeting that opens the sentence: "Hi", "Hello", "Hey", "Dear"."""
    first = _first(sent)
    if first is not None and first.lower_ in _GREETING:
        yield _tok(first)


@_strategy("deference")
def deference(sent: Span) -> Iterator[Offsets]:
    """Praise that opens the sentence: "Great work!", "Nice catch", "Interesting idea"."""
    first = _first(sent)
    if first is not None and first.lower_ in _DEFERENCE:
        yield _tok(first)


@_strategy("hedges")
def hedges(sent: Span) -> Iterator[Offsets]:
    """A hedge that softens a claim: "I think", "perhaps", "it seems" (``tone_hedges.txt``)."""
    yield from load_word_list(HEDGES_FILE).find(sent)


@_strategy("factuality")
def factuality(sent: Span) -> Iterator[Offsets]:
    """An emphasis on fact that sounds like correction: "in fact", "actually", "obviously"."""
    yield from _regex(_FACTUALITY, sent)


@_strategy("by_the_way")
def by_the_way(sent: Span) -> Iterator[Offsets]:
    """Indirectness: "by the way", "btw", "incidentally"."""
    yield from _regex(_BY_THE_WAY, sent)


@_strategy("direct_question")
def direct_question(sent: Span) -> Iterator[Offsets]:
    """A question that opens with a wh-word: "Why did you delete it?", "What is this?"."""
    first = _first(sent)
    if first is not None and first.lower_ in _WH and _is_question(sent):
        yield _tok(first)


@_strategy("direct_start")
def direct_start(sent: Span) -> Iterator[Offsets]:
    """A sentence that opens with "so", "then", "and", "but" or "or"."""
    first = _first(sent)
    if first is not None and first.lower_ in _DIRECT_START:
        yield _tok(first)


@_strategy("counterfactual_modal")
def counterfactual_modal(sent: Span) -> Iterator[Offsets]:
    """A request with a counterfactual modal: "Could you ...", "Would you ..."."""
    yield from _modal_you(sent, _COUNTERFACTUAL)


@_strategy("indicative_modal")
def indicative_modal(sent: Span) -> Iterator[Offsets]:
    """A request with an indicative modal: "Can you ...", "Will you ..."."""
    yield from _modal_you(sent, _INDICATIVE)


@_strategy("indirect_request")
def indirect_request(sent: Span) -> Iterator[Offsets]:
    """A request made indirectly: "would you mind", "I was wondering", "if you could"."""
    yield from _regex(_INDIRECT, sent)


@_strategy("first_person_start")
def first_person_start(sent: Span) -> Iterator[Offsets]:
    """A sentence that opens with "I" or "my"."""
    first = _first(sent)
    if first is not None and first.lower_ in _I_START:
        yield _tok(first)


@_strategy("first_person_plural")
def first_person_plural(sent: Span) -> Iterator[Offsets]:
    """ "we", "us", "our": the speaker and the reader together."""
    for tok in sent:
        if tok.lower_ in _WE:
            yield _tok(tok)


@_strategy("first_person")
def first_person(sent: Span) -> Iterator[Offsets]:
    """ "I", "me", "my" after the sentence's first word."""
    first = _first(sent)
    for tok in sent:
        if tok.lower_ in _I and (first is None or tok.i != first.i):
            yield _tok(tok)


@_strategy("second_person")
def second_person(sent: Span) -> Iterator[Offsets]:
    """ "you", "your" after the sentence's first word."""
    first = _first(sent)
    for tok in sent:
        if tok.lower_ in _YOUR and (first is None or tok.i != first.i):
            yield _tok(tok)


@_strategy("second_person_start")
def second_person_start(sent: Span) -> Iterator[Offsets]:
    """A sentence that opens with "you" or "your": "You need to ...", "Your edit ..."."""
    first = _first(sent)
    if first is not None and first.lower_ in _YOUR:
        yield _tok(first)


@_strategy("positive_lexicon")
def positive_lexicon(sent: Span) -> Iterator[Offsets]:
    """A positive word: "great", "helpful", "glad" (``tone_positive_words.txt``)."""
    yield from load_word_list(POSITIVE_FILE).find(sent)


@_strategy("negative_lexicon")
def negative_lexicon(sent: Span) -> Iterator[Offsets]:
    """A negative word: "wrong", "useless", "annoying" (``tone_negative_words.txt``)."""
    yield from load_word_list(NEGATIVE_FILE).find(sent)


@_strategy("imperative")
def imperative(sent: Span) -> Iterator[Offsets]:
    """*Extra.* A bare command: "Read the FAQ.", "Just restart it." (root verb, no subject)."""
    root = sent.root
    if root.tag_ != "VB" or _is_question(sent):
        return
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children):
        return
    before = [t for t in _words(sent) if t.i < root.i]
    if all(t.lower_ in _IMPERATIVE_LEAD for t in before):
        yield _tok(root)


@_strategy("you_obligation")
def you_obligation(sent: Span) -> Iterator[Offsets]:
    """*Extra.* Telling the reader what they must do: "you should", "you need to"."""
    for tok in sent:
        if tok.lower_ not in _YOU or tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        head = tok.head
        modals = [c for c in head.children if c.lower_ in _OBLIGATION_MODALS and c.i > tok.i]
        if modals:
            yield tok.idx, modals[0].idx + len(modals[0])
        elif head.lemma_ in _OBLIGATION_VERBS and any(c.dep_ == "xcomp" for c in head.children):
            yield tok.idx, head.idx + len(head)


@_strategy("exclamation")
def exclamation(sent: Span) -> Iterator[Offsets]:
    """*Extra.* An exclamation mark."""
    for tok in sent:
        if "!" in tok.text and tok.is_punct:
            yield _tok(tok)


@_strategy("negation")
def negation(sent: Span) -> Iterator[Offsets]:
    """*Extra.* A negated verb: "not", "n't", "never"."""
    for tok in sent:
        if tok.dep_ == "neg":
            yield _tok(tok)


STRATEGY_NAMES: tuple[str, ...] = tuple(STRATEGIES)


@dataclass(frozen=True)
class StrategyHit:
    """A strategy found in the text, with ``[start, end)`` offsets into ``doc.text``."""

    strategy: str
    start: int
    end: int


def _sentences(span: DocOrSpan) -> list[Span]:
    """The sentences of ``span`` (clipped to it), or the whole span if it has no parse."""
    if isinstance(span, Doc):
        return list(span.sents) if span.has_annotation("SENT_START") else [span[:]]
    doc = span.doc
    if not doc.has_annotation("SENT_START"):
        return [span]
    sents: list[Span] = list(span.sents)  # type: ignore[attr-defined]
    return [doc[max(s.start, span.start) : min(s.end, span.end)] for s in sents]


def strategy_hits(span: DocOrSpan, names: Sequence[str] | None = None) -> list[StrategyHit]:
    """Return every hit of the strategies ``names`` (default: all) in ``span``, in order."""
    detectors = [(name, STRATEGIES[name]) for name in (names or STRATEGY_NAMES)]
    hits: list[StrategyHit] = []
    for sent in _sentences(span):
        for name, detect in detectors:
            hits.extend(StrategyHit(name, start, end) for start, end in detect(sent))
    hits.sort(key=lambda h: (h.start, h.end, h.strategy))
    return hits


@dataclass(frozen=True)
class Extracted:
    """Everything the tone model reads from one ``Doc`` or ``Span``."""

    terms: list[Term]
    hits: list[StrategyHit]


def extract(span: DocOrSpan, settings: NgramSettings) -> Extracted:
    """Return the word n-grams and strategy hits of ``span``, offsets into ``doc.text``."""
    offset = 0 if isinstance(span, Doc) else span.start_char
    return Extracted(terms(span.text, settings, offset), strategy_hits(span))


def strategy_vector(
    hits: Iterable[StrategyHit], names: Sequence[str] = STRATEGY_NAMES
) -> npt.NDArray[np.float64]:
    """Return the 0/1 presence of each strategy in ``names`` among ``hits``."""
    present = {h.strategy for h in hits}
    return np.array([1.0 if name in present else 0.0 for name in names], dtype=np.float64)
