"""clarity's own pipeline component: sentence starts at line breaks that end a thought.

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
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

NAME = "clarity_line_breaks"
_END_PUNCT = (".", "!", "?", ":", ",", ";")
_LIST_ITEM = re.compile(r"[-*•]|\d{1,2}[.)]")


@Language.component(NAME)
def line_breaks(doc: Doc) -> Doc:
    text = doc.text
    for tok in doc[:-1]:
        if not tok.is_space or "\n" not in tok.text:
            continue
        nxt = doc[tok.i + 1]
        if nxt.is_space:
            continue
        if tok.text.count("\n") >= 2:
            nxt.is_sent_start = True
            continue
        prev = text[: tok.idx].rstrip()
        if prev.endswith(_END_PUNCT) or not nxt.text[:1].islower() or _LIST_ITEM.match(nxt.text):
            nxt.is_sent_start = True
    return doc


# -- A faster attribute ruler -------------------------------------------------------
#
# en_core_web_sm's attribute_ruler (tag -> part of speech and morphology, plus a few
# word exceptions) runs ~180 token patterns through spaCy's general Matcher, which
# costs about a quarter of a check. Nearly all of them test one token for equality
# (TAG, LOWER, DEP, IS_SPACE, or IN a list), so they can be looked up by the token's
# tag and lower-case form instead. The few others (REGEX, NOT_IN, two-token patterns)
# still go through a Matcher. Matches are applied in the ruler's own order, later
# rules winning, so the annotations are identical (tests/test_pipes.py compares
# them token by token).

FAST_RULER = "clarity_attribute_ruler"
_SIMPLE_ATTRS = {"TAG", "LOWER", "DEP", "IS_SPACE"}

Condition = tuple[str, frozenset[Any]]


def _condition(attr: str, value: Any) -> Condition | None:
    """``(attr, allowed values)`` for an equality or ``IN`` test; ``None`` otherwise."""
    if attr not in _SIMPLE_ATTRS:
        return None
    if isinstance(value, (str, bool)):
        return attr, frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"}:
        return attr, frozenset(value["IN"])
    return None


def _token_value(tok: Token, attr: str) -> Any:
    if attr == "TAG":
        return tok.tag_
    if attr == "LOWER":
        return tok.lower_
    if attr == "DEP":
        return tok.dep_
    return tok.is_space


class FastAttributeRuler:
    """Drop-in replacement for a loaded ``AttributeRuler`` (see the comment above)."""

    def __init__(self, nlp: Language, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.attrs: list[dict[str, Any]] = []
        self.indices: list[int] = []
        self.always: list[tuple[int, tuple[Condition, ...]]] = []
        self.by_lower: dict[str, list[tuple[int, tuple[Condition, ...]]]] = {}
        self.by_tag: dict[str, list[tuple[int, tuple[Condition, ...]]]] = {}
        self.matcher = Matcher(nlp.vocab, validate=False)
        self.has_complex = False
        # Rule i of the ruler: ruler.attrs[i] (normalised), ruler.indices[i], and its
        # token patterns in ruler.patterns[i].
        self.attrs = list(ruler.attrs)
        self.indices = list(ruler.indices)
        for rule_id, rule in enumerate(ruler.patterns):
            self._add(rule_id, rule["patterns"])

    def _add(self, rule_id: int, patterns: list[list[dict[str, Any]]]) -> None:
        for pattern in patterns:
            conds = [_condition(a, v) for a, v in pattern[0].items()] if len(pattern) == 1 else []
            if len(pattern) != 1 or any(c is None for c in conds):
                self.matcher.add(str(rule_id), [pattern])
                self.has_complex = True
                continue
            checks = tuple(c for c in conds if c is not None)
            entry = (rule_id, checks)
            keyed = dict(checks)
            if "LOWER" in keyed:
                for value in keyed["LOWER"]:
                    self.by_lower.setdefault(value, []).append(entry)
            elif "TAG" in keyed:
                for value in keyed["TAG"]:
                    self.by_tag.setdefault(value, []).append(entry)
            else:
                self.always.append(entry)

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span
        from spacy.tokens._retokenize import set_token_attrs  # the ruler's own setter

        hits: list[tuple[int, int, int]] = []  # (rule, start, end)
        for tok in doc:
            for rule_id, checks in (
                *self.by_lower.get(tok.lower_, ()),
                *self.by_tag.get(tok.tag_, ()),
                *self.always,
            ):
                if all(_token_value(tok, attr) in allowed for attr, allowed in checks):
                    hits.append((rule_id, tok.i, tok.i + 1))
        if self.has_complex:
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                hits.append((int(doc.vocab.strings[match_id]), start, end))
        hits.sort()
        for rule_id, start, end in hits:
            set_token_attrs(Span(doc, start, end)[self.indices[rule_id]], self.attrs[rule_id])
        return doc


@Language.factory(FAST_RULER)
def make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    """Built from the pipeline's loaded ``attribute_ruler``, which it then replaces."""
    return FastAttributeRuler(nlp, nlp.get_pipe("attribute_ruler"))
