"""clarity's own pipeline components: sentence starts at line breaks that end a thought,
and faster drop-in replacements for spaCy's attribute ruler and lemmatizer.

spaCy's parser does not split "Hi Maria,\\n\\nThank you for..." into two sentences,
and e-mails are full of such lines: greetings, sign-offs, signatures, list items.
This component, placed before the parser, marks a sentence start after

* a blank line (a paragraph break);
* a single line break when the line before it ends with punctuation (``Hi Maria,``,
  ``Best,``, a sentence's full stop) or the next line does not start with a
  lower-case letter (a signature line, a list item, a new sentence).

A hard-wrapped line that runs on in lower case ("...it works now\nbecause we...")
is left for the parser to join. The
parser respects starts set before it, so dependency labels stay consistent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

NAME = "clarity_line_breaks"
_END_PUNCT = (".", "!", "?", ":", ",", ";")
_LIST_ITEM = re.compile(r"[-*•]|\d{1,2}[.)]")


@Language.component(NAME)
def line_breaks(doc: Doc) -> Doc:
    starts = []
    last_word = ""  # the text of the last token that is not a space
    for tok in doc[:-1]:
        if not tok.is_space:
            last_word = tok.text
            continue
        if "\n" not in tok.text:
            continue
        nxt = doc[tok.i + 1]
        if nxt.is_space:
            continue
        if (
            tok.text.count("\n") >= 2
            or last_word.endswith(_END_PUNCT)
            or not nxt.text[:1].islower()
            or _LIST_ITEM.match(nxt.text)
        ):
            starts.append(nxt.i)
    if starts:
        # One write for all: ``Token.is_sent_start = True`` scans the whole Doc each
        # time (spaCy checks it has no parse yet), quadratic in a long draft.
        values = doc.to_array([SENT_START]).reshape(-1, 1)
        values[starts, 0] = 1
        doc.from_array([SENT_START], values)  # type: ignore[arg-type]
    return doc


# -- A faster attribute ruler -------------------------------------------------------
#
# en_core_web_sm's attribute_ruler (tag -> part of speech and morphology, plus a few
# word exceptions) runs ~180 token patterns through spaCy's general Matcher, which
# costs about a quarter of a check. Every condition in them tests one of four things
# about a token: its tag, lower-case form, dependency label or whether it is a space
# (by equality, IN, NOT_IN or REGEX). So which single-token rules match a token, and
# which positions of the few two-token rules it can fill, depend only on those four
# values: they are worked out once per distinct combination and remembered. A check
# then reads the four columns with one ``Doc.to_array`` call, looks each token up,
# joins the two-token rules, and sets each token's attributes once, merged in the
# ruler's own order (later rules win). A pattern with anything else (an operator, a
# fifth attribute) still goes through a Matcher. The annotations are identical
# (tests/test_pipes.py compares them token by token with spaCy's ruler).

FAST_RULER = "clarity_attribute_ruler"
_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_OPS = {"IN", "NOT_IN", "REGEX"}
#: How many distinct (lower, tag, dep, space) combinations to remember before starting over.
_MEMO_SIZE = 200_000

Values = tuple[str, str, str, bool]  # a token's lower-case form, tag, dep label, is_space
Test = Callable[[Values], bool]


def _test(attr: str, value: Any) -> Test | None:
    """A test of one pattern condition on a token's :data:`Values`; ``None`` if unsupported."""
    if attr not in _ATTRS:
        return None
    j = _ATTRS.index(attr)
    if isinstance(value, (str, bool)):
        return lambda v: v[j] == value
    if not isinstance(value, dict) or not value or set(value) - _OPS:
        return None
    tests: list[Test] = []
    if "IN" in value:
        allowed = frozenset(value["IN"])
        tests.append(lambda v: v[j] in allowed)
    if "NOT_IN" in value:
        banned = frozenset(value["NOT_IN"])
        tests.append(lambda v: v[j] not in banned)
    if "REGEX" in value:
        regex = re.compile(value["REGEX"])
        tests.append(lambda v: isinstance(v[j], str) and regex.search(v[j]) is not None)
    return lambda v: all(t(v) for t in tests)


def _token_test(spec: dict[str, Any]) -> Test | None:
    tests = [_test(attr, value) for attr, value in spec.items()]
    if any(t is None for t in tests):
        return None
    ok = [t for t in tests if t is not None]
    return lambda v: all(t(v) for t in ok)


def _index_key(spec: dict[str, Any]) -> tuple[int, frozenset[Any]] | None:
    """``(0 or 1, values)`` when ``spec`` can only match a token whose lower-case form
    (0) or tag (1) is one of ``values``: the rule is then only tried on such tokens."""
    for j, attr in enumerate(("LOWER", "TAG")):
        value = spec.get(attr)
        if isinstance(value, str):
            return j, frozenset([value])
        if isinstance(value, dict) and set(value) == {"IN"}:
            return j, frozenset(value["IN"])
    return None


class FastAttributeRuler:
    """Drop-in replacement for a loaded ``AttributeRuler`` (see the comment above)."""

    def __init__(self, nlp: Language, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.vocab = nlp.vocab
        # Rule i of the ruler: ruler.attrs[i] (normalised), ruler.indices[i], and its
        # token patterns in ruler.patterns[i].
        self.attrs: list[dict[Any, Any]] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        # Token tests, each (order, test, what it gives): a single-token rule gives its
        # rule id, a position of a sequence pattern gives (sequence, position). Indexed
        # by the lower-case form or tag they need, when they need one.
        self.tests: list[tuple[Test, Any]] = []
        self.by_value: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        self.always: list[int] = []
        self.sequences: list[tuple[int, int]] = []  # (rule, length) per sequence pattern
        self.matcher = Matcher(nlp.vocab, validate=False)
        self.has_complex = False
        self.memo: dict[tuple[int, int, int, int], tuple[tuple[int, ...], frozenset[Any]]] = {}
        for rule_id, rule in enumerate(ruler.patterns):
            for pattern in rule["patterns"]:
                self._add(rule_id, pattern)

    def _add(self, rule_id: int, pattern: list[dict[str, Any]]) -> None:
        tests = [_token_test(spec) for spec in pattern]
        if not tests or any(t is None for t in tests):
            self.matcher.add(str(rule_id), [pattern])
            self.has_complex = True
            return
        seq = len(self.sequences)
        if len(tests) > 1:
            self.sequences.append((rule_id, len(tests)))
        for k, (spec, test) in enumerate(zip(pattern, tests, strict=True)):
            assert test is not None
            n = len(self.tests)
            self.tests.append((test, rule_id if len(tests) == 1 else (seq, k)))
            key = _index_key(spec)
            if key is None:
                self.always.append(n)
            else:
                for value in key[1]:
                    self.by_value[key[0]].setdefault(value, []).append(n)

    def _lookup(self, key: tuple[int, int, int, int]) -> tuple[tuple[int, ...], frozenset[Any]]:
        """The single-token rules a token with ``key`` (hashes of its four values)
        matches, in order, and the ``(sequence, position)`` pairs it can fill."""
        strings = self.vocab.strings
        values: Values = (strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3]))
        candidates = sorted(
            {
                *self.by_value[0].get(values[0], ()),
                *self.by_value[1].get(values[1], ()),
                *self.always,
            }
        )
        rules: list[int] = []
        positions: set[Any] = set()
        for n in candidates:
            test, gives = self.tests[n]
            if not test(values):
                continue
            if isinstance(gives, int):
                rules.append(gives)
            else:
                positions.add(gives)
        found = (tuple(rules), frozenset(positions))
        if len(self.memo) >= _MEMO_SIZE:
            self.memo.clear()
        self.memo[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens import Span
        from spacy.tokens._retokenize import set_token_attrs  # the ruler's own setter

        n = len(doc)
        if not n:
            return doc
        keys: list[tuple[int, int, int, int]] = list(
            map(tuple, doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist())
        )
        memo = self.memo
        looked = [memo.get(key) or self._lookup(key) for key in keys]
        # Rules per token: (rule, attrs) in the ruler's order, from every match.
        extra: dict[int, list[int]] = {}
        for seq, (rule_id, length) in enumerate(self.sequences):
            index = self.indices[rule_id]
            for i in range(n - length + 1):
                if (seq, 0) in looked[i][1] and all(
                    (seq, k) in looked[i + k][1] for k in range(1, length)
                ):
                    target = i + (index if index >= 0 else length + index)
                    extra.setdefault(target, []).append(rule_id)
        if self.has_complex:
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                rule_id = int(doc.vocab.strings[match_id])
                target = Span(doc, start, end)[self.indices[rule_id]].i
                extra.setdefault(target, []).append(rule_id)
        merged: dict[tuple[int, ...], dict[Any, Any]] = {}
        for i, (rules, _) in enumerate(looked):
            if i in extra:
                rules = tuple(sorted((*rules, *extra[i])))
            if not rules:
                continue
            attrs = merged.get(rules)
            if attrs is None:
                attrs = {}
                for rule_id in rules:
                    attrs.update(self.attrs[rule_id])
                merged[rules] = attrs
            set_token_attrs(doc[i], attrs)
        return doc


@Language.factory(FAST_RULER)
def make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    """Built from the pipeline's loaded ``attribute_ruler``, which it then replaces."""
    return FastAttributeRuler(nlp, nlp.get_pipe("attribute_ruler"))


# -- A remembering lemmatizer ---------------------------------------------------------
#
# spaCy's rule lemmatizer works token by token in Python: a Token object, its part of
# speech and morphology read as strings, a cache look-up keyed by (orth, pos, morph),
# then the lemma written back as a string: a tenth of a check. The lemma it gives is
# a function of that key alone (its own cache relies on it), so this component reads
# the three columns with one ``Doc.to_array`` call, remembers each key's lemma (asking
# the wrapped lemmatizer the first time; kept as a string, so that the strings a
# memory zone made the store forget are added again) and writes all lemmas with one
# ``Doc.from_array``. Tokens that already have a lemma (from the attribute ruler) keep
# it unless the lemmatizer overwrites. The lemmas are identical (tests/test_pipes.py).

FAST_LEMMATIZER = "clarity_lemmatizer"


class RememberingLemmatizer:
    """Drop-in replacement for a loaded rule or lookup ``Lemmatizer`` (see above)."""

    def __init__(self, nlp: Language, lemmatizer: Any) -> None:
        self.vocab = nlp.vocab
        self.lemmatizer = lemmatizer
        self.overwrite = bool(getattr(lemmatizer, "overwrite", False))
        #: Each key's lemma, as a string: a hash would outlive its string when the
        #: string store forgets the words of a ``memory_zone`` (the service's workers).
        self.memo: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        rows: list[list[int]] = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        memo, strings = self.memo, self.vocab.strings
        lemmas: list[int] = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not self.overwrite:
                lemmas.append(lemma)
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                found = memo[key] = self.lemmatizer.lemmatize(doc[i])[0]
            lemmas.append(strings.add(found))
        doc.from_array([LEMMA], numpy.asarray(lemmas, dtype=numpy.uint64).reshape(-1, 1))  # type: ignore[arg-type]
        return doc


@Language.factory(FAST_LEMMATIZER)
def make_remembering_lemmatizer(nlp: Language, name: str) -> RememberingLemmatizer:
    """Built from the pipeline's loaded ``lemmatizer``, which it then replaces."""
    return RememberingLemmatizer(nlp, nlp.get_pipe("lemmatizer"))
