"""Politeness strategies, found in a spaCy parse.

The strategies are those of Danescu-Niculescu-Mizil, Sudhof, Jurafsky, Leskovec and
Potts, "A computational approach to politeness with application to social factors"
(ACL 2013, table 3), implemented here from their descriptions, plus a few that matter
in help-desk replies (marked *extra*). Each strategy is one small function that takes a
:class:`Sentence` and yields the ``[start, end)`` character offsets (into ``doc.text``)
of the words that show it; its docstring is its documentation.

Speed: a ``Doc``'s token attributes are read once, in one ``Doc.to_array`` call, into
plain lists (:class:`DocTokens`), and each sentence's hits are computed once per
``Doc`` and kept while the ``Doc`` lives. The strategies read those lists by index
instead of making a ``Token`` object per strategy per word, and the message's
politeness (which reads the same sentences again, joined) reuses their hits.

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
from spacy.tokens import Doc, Span

from clarity.data import data_path, read_lines
from clarity.errors import DataError
from clarity.tokens import DocTokens, doc_tokens, span_text
from clarity.tone.ngrams import NgramSettings, Term, terms

DocOrSpan: TypeAlias = Doc | Span

Offsets = tuple[int, int]
Detector = Callable[["Sentence"], Iterator[Offsets]]

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

    def find(self, sent: Sentence | Span) -> Iterator[Offsets]:
        """Yield the offsets of every listed word or phrase in ``sent``."""
        if isinstance(sent, Span):
            sent = Sentence(doc_tokens(sent.doc), sent.start, sent.end)
        t = sent.toks
        words = self.words
        for i in range(sent.start, sent.end):
            if t.lower[i] in words or t.lemma_lower[i] in words:
                yield t.offsets(i)
        if self.phrases is not None:
            for m in self.phrases.finditer(sent.plain_text):
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


class Sentence:
    """One sentence (tokens ``[start, end)`` of a ``Doc``) as the strategies read it."""

    def __init__(self, toks: DocTokens, start: int, end: int) -> None:
        self.toks = toks
        self.start = start
        self.end = end
        if start < end:
            self.start_char = toks.idx[start]
            end_char = toks.idx[end - 1] + len(toks.orth[end - 1])
        else:
            self.start_char = end_char = toks.idx[start] if start < len(toks) else len(toks.text)
        #: The sentence's text, as ``Span.text``.
        self.text = toks.text[self.start_char : end_char]
        #: Indices of its words (neither punctuation nor space).
        self.words = [i for i in range(start, end) if toks.is_word[i]]
        #: Index of its first word, or ``None``.
        self.first = self.words[0] if self.words else None
        self.is_question = any(toks.orth[i] == "?" for i in range(start, end))
        #: :attr:`text` with curly apostrophes made straight, for the regular expressions.
        self.plain_text = self.text.translate(_APOSTROPHES)

    @property
    def root(self) -> int | None:
        """Index of the sentence's root, as ``Span.root`` finds it; ``None`` when empty."""
        t, start, end = self.toks, self.start, self.end
        if start >= end:
            return None
        for i in range(start, end):
            if t.head[i] == i:
                return i
        best, root = len(t), -1
        for i in range(start, end):
            if start <= t.head[i] < end:
                continue
            if not t.is_word[i] and not t.children(i):
                steps = len(t) - 1  # a bare space or punctuation mark: a last resort
            else:
                steps, j = 0, i
                while t.head[j] != j and steps < len(t):
                    j = t.head[j]
                    steps += 1
            if steps < best:
                best, root = steps, i
        return start if root == -1 else root

    def first_in(self, words: frozenset[str]) -> Iterator[Offsets]:
        """The first word's offsets when its lower-case form is in ``words``."""
        if self.first is not None and self.toks.lower[self.first] in words:
            yield self.toks.offsets(self.first)

    def lower_in(self, words: frozenset[str], skip_first: bool = False) -> Iterator[Offsets]:
        """The offsets of every token whose lower-case form is in ``words`` (after the
        first word when ``skip_first``)."""
        t = self.toks
        for i in range(self.start, self.end):
            if t.lower[i] in words and not (skip_first and i == self.first):
                yield t.offsets(i)

    def lemma_in(self, words: frozenset[str]) -> Iterator[Offsets]:
        """The offsets of every token whose lower-case form or lemma is in ``words``."""
        t = self.toks
        for i in range(self.start, self.end):
            if t.lower[i] in words or t.lemma_lower[i] in words:
                yield t.offsets(i)


def _regex(pattern: re.Pattern[str], sent: Sentence) -> Iterator[Offsets]:
    for m in pattern.finditer(sent.plain_text):
        yield sent.start_char + m.start(), sent.start_char + m.end()


def _modal_you(sent: Sentence, modals: frozenset[str]) -> Iterator[Offsets]:
    """Modal verbs from ``modals`` asked of "you": "could you", "can you (please) ..."."""
    t = sent.toks
    for i in range(sent.start, sent.end):
        if t.lower[i] not in modals or t.tag[i] != "MD":
            continue
        following = i + 1 if i + 1 < sent.end else None
        subjects = [
            c
            for c in t.children(t.head[i])
            if t.dep[c] in ("nsubj", "nsubjpass") and t.lower[c] in _YOU and c > i
        ]
        if following is not None and t.lower[following] in _YOU:
            yield t.idx[i], t.offsets(following)[1]
        elif subjects:
            yield t.idx[i], t.offsets(subjects[0])[1]


# ------------------------------------------------------------------------ strategies

STRATEGIES: dict[str, Detector] = {}


def _strategy(name: str) -> Callable[[Detector], Detector]:
    def register(func: Detector) -> Detector:
        STRATEGIES[name] = func
        return func

    return register


@_strategy("gratitude")
def gratitude(sent: Sentence) -> Iterator[Offsets]:
    """Thanks or appreciation: "Thanks!", "I really appreciate it"."""
    yield from sent.lemma_in(_GRATITUDE)


@_strategy("apology")
def apology(sent: Sentence) -> Iterator[Offsets]:
    """An apology: "Sorry to bother you", "I apologize", "excuse me", "my bad"."""
    yield from sent.lemma_in(_APOLOGY)
    yield from _regex(_APOLOGY_PHRASES, sent)


@_strategy("please")
def please(sent: Sentence) -> Iterator[Offsets]:
    """ "please" inside the sentence: "Could you please send it?"."""
    yield from sent.lower_in(_PLEASE, skip_first=True)


@_strategy("please_start")
def please_start(sent: Sentence) -> Iterator[Offsets]:
    """A sentence that opens with "please": "Please send it" (less polite than inside)."""
    yield from sent.first_in(_PLEASE)


@_strategy("greeting")
def greeting(sent: Sentence) -> Iterator[Offsets]:
    """A greeting that opens the sentence: "Hi", "Hello", "Hey", "Dear"."""
    yield from sent.first_in(_GREETING)


@_strategy("deference")
def deference(sent: Sentence) -> Iterator[Offsets]:
    """Praise that opens the sentence: "Great work!", "Nice catch", "Interesting idea"."""
    yield from sent.first_in(_DEFERENCE)


@_strategy("hedges")
def hedges(sent: Sentence) -> Iterator[Offsets]:
    """A hedge that softens a claim: "I think", "perhaps", "it seems" (``tone_hedges.txt``)."""
    yield from load_word_list(HEDGES_FILE).find(sent)


@_strategy("factuality")
def factuality(sent: Sentence) -> Iterator[Offsets]:
    """An emphasis on fact that sounds like correction: "in fact", "actually", "obviously"."""
    yield from _regex(_FACTUALITY, sent)


@_strategy("by_the_way")
def by_the_way(sent: Sentence) -> Iterator[Offsets]:
    """Indirectness: "by the way", "btw", "incidentally"."""
    yield from _regex(_BY_THE_WAY, sent)


@_strategy("direct_question")
def direct_question(sent: Sentence) -> Iterator[Offsets]:
    """A question that opens with a wh-word: "Why did you delete it?", "What is this?"."""
    if sent.is_question:
        yield from sent.first_in(_WH)


@_strategy("direct_start")
def direct_start(sent: Sentence) -> Iterator[Offsets]:
    """A sentence that opens with "so", "then", "and", "but" or "or"."""
    yield from sent.first_in(_DIRECT_START)


@_strategy("counterfactual_modal")
def counterfactual_modal(sent: Sentence) -> Iterator[Offsets]:
    """A request with a counterfactual modal: "Could you ...", "Would you ..."."""
    yield from _modal_you(sent, _COUNTERFACTUAL)


@_strategy("indicative_modal")
def indicative_modal(sent: Sentence) -> Iterator[Offsets]:
    """A request with an indicative modal: "Can you ...", "Will you ..."."""
    yield from _modal_you(sent, _INDICATIVE)


@_strategy("indirect_request")
def indirect_request(sent: Sentence) -> Iterator[Offsets]:
    """A request made indirectly: "would you mind", "I was wondering", "if you could"."""
    yield from _regex(_INDIRECT, sent)


@_strategy("first_person_start")
def first_person_start(sent: Sentence) -> Iterator[Offsets]:
    """A sentence that opens with "I" or "my"."""
    yield from sent.first_in(_I_START)


@_strategy("first_person_plural")
def first_person_plural(sent: Sentence) -> Iterator[Offsets]:
    """ "we", "us", "our": the speaker and the reader together."""
    yield from sent.lower_in(_WE)


@_strategy("first_person")
def first_person(sent: Sentence) -> Iterator[Offsets]:
    """ "I", "me", "my" after the sentence's first word."""
    yield from sent.lower_in(_I, skip_first=True)


@_strategy("second_person")
def second_person(sent: Sentence) -> Iterator[Offsets]:
    """ "you", "your" after the sentence's first word."""
    yield from sent.lower_in(_YOUR, skip_first=True)


@_strategy("second_person_start")
def second_person_start(sent: Sentence) -> Iterator[Offsets]:
    """A sentence that opens with "you" or "your": "You need to ...", "Your edit ..."."""
    yield from sent.first_in(_YOUR)


@_strategy("positive_lexicon")
def positive_lexicon(sent: Sentence) -> Iterator[Offsets]:
    """A positive word: "great", "helpful", "glad" (``tone_positive_words.txt``)."""
    yield from load_word_list(POSITIVE_FILE).find(sent)


@_strategy("negative_lexicon")
def negative_lexicon(sent: Sentence) -> Iterator[Offsets]:
    """A negative word: "wrong", "useless", "annoying" (``tone_negative_words.txt``)."""
    yield from load_word_list(NEGATIVE_FILE).find(sent)


@_strategy("imperative")
def imperative(sent: Sentence) -> Iterator[Offsets]:
    """*Extra.* A bare command: "Read the FAQ.", "Just restart it." (root verb, no subject)."""
    t, root = sent.toks, sent.root
    if root is None or t.tag[root] != "VB" or sent.is_question:
        return
    if any(t.dep[c] in ("nsubj", "nsubjpass", "expl") for c in t.children(root)):
        return
    if all(t.lower[i] in _IMPERATIVE_LEAD for i in sent.words if i < root):
        yield t.offsets(root)


@_strategy("you_obligation")
def you_obligation(sent: Sentence) -> Iterator[Offsets]:
    """*Extra.* Telling the reader what they must do: "you should", "you need to"."""
    t = sent.toks
    for i in range(sent.start, sent.end):
        if t.lower[i] not in _YOU or t.dep[i] not in ("nsubj", "nsubjpass"):
            continue
        head = t.head[i]
        kids = t.children(head)
        modals = [c for c in kids if t.lower[c] in _OBLIGATION_MODALS and c > i]
        if modals:
            yield t.idx[i], t.offsets(modals[0])[1]
        elif t.lemma[head] in _OBLIGATION_VERBS and any(t.dep[c] == "xcomp" for c in kids):
            yield t.idx[i], t.offsets(head)[1]


@_strategy("exclamation")
def exclamation(sent: Sentence) -> Iterator[Offsets]:
    """*Extra.* An exclamation mark."""
    t = sent.toks
    for i in range(sent.start, sent.end):
        if "!" in t.orth[i] and t.is_punct[i]:
            yield t.offsets(i)


@_strategy("negation")
def negation(sent: Sentence) -> Iterator[Offsets]:
    """*Extra.* A negated verb: "not", "n't", "never"."""
    t = sent.toks
    for i in range(sent.start, sent.end):
        if t.dep[i] == "neg":
            yield t.offsets(i)


STRATEGY_NAMES: tuple[str, ...] = tuple(STRATEGIES)


@dataclass(frozen=True)
class StrategyHit:
    """A strategy found in the text, with ``[start, end)`` offsets into ``doc.text``."""

    strategy: str
    start: int
    end: int


def _sentence_hits(toks: DocTokens, start: int, end: int) -> list[StrategyHit]:
    """Every strategy's hits in the sentence ``[start, end)``, computed once per ``Doc``."""
    key = (start, end)
    hits = toks.hits.get(key)
    if hits is None:
        sent = Sentence(toks, start, end)
        hits = [
            StrategyHit(name, a, b) for name, detect in STRATEGIES.items() for a, b in detect(sent)
        ]
        toks.hits[key] = hits
    return hits


def strategy_hits(span: DocOrSpan, names: Sequence[str] | None = None) -> list[StrategyHit]:
    """Return every hit of the strategies ``names`` (default: all) in ``span``, in order.

    The strategies read each sentence of ``span`` (clipped to it), or the whole span
    when its ``Doc`` has no sentence starts."""
    if isinstance(span, Doc):
        doc, start, end = span, 0, len(span)
    else:
        doc, start, end = span.doc, span.start, span.end
    toks = doc_tokens(doc)
    wanted = None if names is None else set(names)
    hits: list[StrategyHit] = []
    for a, b in toks.sentence_bounds(start, end):
        found = _sentence_hits(toks, a, b)
        hits.extend(found if wanted is None else [h for h in found if h.strategy in wanted])
    hits.sort(key=lambda h: (h.start, h.end, h.strategy))
    return hits


@dataclass(frozen=True)
class Extracted:
    """Everything the tone model reads from one ``Doc`` or ``Span``."""

    terms: list[Term]
    hits: list[StrategyHit]


def extract(span: DocOrSpan, settings: NgramSettings) -> Extracted:
    """Return the word n-grams and strategy hits of ``span``, offsets into ``doc.text``."""
    offset, text = span_text(span)
    return Extracted(terms(text, settings, offset), strategy_hits(span))


def strategy_vector(
    hits: Iterable[StrategyHit], names: Sequence[str] = STRATEGY_NAMES
) -> npt.NDArray[np.float64]:
    """Return the 0/1 presence of each strategy in ``names`` among ``hits``."""
    present = {h.strategy for h in hits}
    return np.array([1.0 if name in present else 0.0 for name in names], dtype=np.float64)
