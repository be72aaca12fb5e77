"""The rule registry and what a rule sees.

A rule is a small function ``(ctx: Context) -> Iterable[Hit]`` registered with
:func:`rule`, which gives it a code, a name, a category and a default severity. The
function's docstring is the rule's documentation, in four sections:
``What it does``, ``Why it matters``, ``Example``, ``Use instead``.

A rule returns *hits* (a span, a message, suggestions, maybe a fix); the engine turns
them into :class:`~clarity.types.Finding` objects, filling in code, name, category
and the severity (overridable in the configuration), as Vale's engine does.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clarity.types import Category, Fix, Region, SentenceScore, Severity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from clarity.config import Config
    from clarity.lexicon import Term
    from clarity.resources import Resources
    from clarity.tone.model import Contribution


@dataclass(frozen=True)
class Hit:
    """What a rule reports: the engine makes a Finding of it."""

    start: int
    end: int
    message: str
    suggestions: tuple[str, ...] = ()
    fix: Fix | None = None


@dataclass
class Context:
    """Everything a rule may read about one text. Rules never mutate it."""

    text: str
    doc: Doc
    config: Config
    resources: Resources
    #: Sentences of the writer's own prose (outside ignored regions).
    sentences: Sequence[Span]
    sentence_scores: Sequence[SentenceScore]
    regions: Sequence[Region] = ()
    grade: float = 0.0
    words: int = 0
    #: The subject line, for the rules whose ``target`` is ``"subject"``.
    subject: str | None = None
    #: Sentences that count for tone: the writer's prose plus greetings and sign-offs.
    tone_sentences: Sequence[Span] = ()
    #: The customer's message this text replies to, parsed, if given.
    incoming: Doc | None = None

    @functools.cached_property
    def tone_scores(self) -> list[tuple[float, list[Contribution]]]:
        """Each tone sentence's P(polite) and its features' contributions (computed
        once, by the shipped politeness model)."""
        from clarity.tone.model import ToneModel
        from clarity.tone.report import sentence_contributions

        return sentence_contributions(ToneModel.load(), self.tone_sentences)

    def in_region(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a region whose findings are ignored
        (every kind but greetings and sign-offs: :meth:`Region.ignored_by`)."""
        return any(
            start < r.end and r.start < end for r in self.regions if r.ignored_by("findings")
        )

    @functools.cached_property
    def term_matches(self) -> list[tuple[int, int, Term]]:
        """Lexicon terms in the text: ``(start_char, end_char, term)``, computed once."""
        out = []
        for m in self.resources.terms(self.doc):
            span = self.doc[m.start : m.end]
            out.append((span.start_char, span.end_char, m.entry))
        return out

    def starts_sentence(self, offset: int) -> bool:
        """Whether a word at ``offset`` is the first word of its sentence."""
        return any(s.start_char == offset for s in self.sentences) or offset == 0

    def in_term(self, offset: int) -> bool:
        """Whether ``offset`` falls inside a lexicon term."""
        return any(s <= offset < e for s, e, _ in self.term_matches)


RuleFunc = Callable[[Context], Iterable[Hit]]
_SECTIONS = ("What it does", "Why it matters", "Example", "Use instead")
_CODE = re.compile(r"^[A-Z]{1,3}\d{3}$")


@dataclass(frozen=True)
class Rule:
    """A registered rule."""

    code: str
    name: str
    category: Category
    severity: Severity
    func: RuleFunc
    #: Rules that run after the others, because they read what those found.
    late: bool = False
    #: What the rule's hits index: ``"text"`` (the body) or ``"subject"`` (the subject
    #: line; the engine runs these only when there is one, and reports their findings
    #: in ``Report.subject_findings``).
    target: str = "text"

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        """The docstring's first line: what the rule reports, in a few words."""
        return self.doc.split("\n", 1)[0].strip()


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    category: Category,
    severity: Severity,
    *,
    late: bool = False,
    target: str = "text",
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``code``."""

    def register(func: RuleFunc) -> RuleFunc:
        if not _CODE.match(code):
            raise ValueError(f"rule code {code!r} must look like 'J001'")
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        doc = inspect.cleandoc(func.__doc__ or "")
        missing = [s for s in _SECTIONS if s not in doc]
        if missing:
            raise ValueError(f"rule {code} docstring lacks section(s): {', '.join(missing)}")
        if target not in ("text", "subject"):
            raise ValueError(f"rule {code}: target must be 'text' or 'subject'")
        REGISTRY[code] = Rule(code, name, category, severity, func, late, target)
        return func

    return register


def all_rules() -> list[Rule]:
    """Every registered rule, ordered by code."""
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def find_rule(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    if key.upper() in REGISTRY:
        return REGISTRY[key.upper()]
    return next((r for r in REGISTRY.values() if r.name == key.lower()), None)


def match_case(template: str, replacement: str, sentence_start: bool = False) -> str:
    """Give ``replacement`` the capitalisation ``template`` has in its sentence.

    All capitals carry over from a multi-word template (``IN ORDER TO``); a capital
    first letter carries over only at the start of a sentence, so ``the Authenticator
    app`` -> ``the sign-in code app`` and ``IT`` -> ``the IT team`` mid-sentence.
    """
    if not replacement or not template:
        return replacement
    if " " in template.strip() and template.isupper() and replacement.islower():
        return replacement.upper()
    if sentence_start and template[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def quote(text: str) -> str:
    return f"“{text}”"
