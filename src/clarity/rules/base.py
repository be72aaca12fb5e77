"""The rule registry and what a rule sees.

A rule is a small function ``(ctx: Context) -> Iterable[Hit]`` registered with
:func:`rule`, which gives it a code, a name, a category and a default severity. The
function's docstring is the rule's documentation, in four sections,
``What it does``, ``Why it matters``, ``Example`` and ``Use instead``, and an optional
fifth, ``Not reported``, in that order.

The examples are tested: one set, as proselint keeps. The docstring is the only place
they are written; :attr:`Rule.examples` parses them out of it, ``docs/rules.md`` shows
them, and ``tests/test_rule_examples.py`` runs them. Parsing the docstring (rather than
generating it from a table) keeps what ``help()``, ``clarity rules CODE`` and the
source show identical to what is tested. The example sections are bulleted lists:

* ``Example``: texts the rule must report. ``**...**`` marks each span it reports,
  and nothing else may be reported (the marks render as bold in the docs).
* ``Use instead``: the better wording; the rule must report nothing in it.
* ``Not reported``: other texts the rule must leave alone (edge cases).

An item's wrapped lines are one paragraph (joined by a space, as Markdown shows them);
a blank line inside an item starts a new paragraph (``"\\n\\n"``). An item that opens
with ``(to "...")`` is a reply to that customer's message (``incoming=``). A subject
rule's examples are subject lines.

A rule returns *hits* (a span, a message, suggestions, maybe a fix); the engine turns
them into :class:`~clarity.types.Finding` objects, filling in code, name, category
and the severity (overridable in the configuration), as Vale's engine does.
"""

from __future__ import annotations

import functools
import inspect
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from clarity.spans import Intervals
from clarity.types import Category, Fix, Region, SentenceScore, Severity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from clarity.config import Config
    from clarity.lexicon import Phrase, Term, TonePhrase
    from clarity.matching import Match
    from clarity.resources import Resources
    from clarity.tone.model import Contribution


_T = TypeVar("_T")


def per_context(func: Callable[[Context], _T]) -> Callable[[Context], _T]:
    """Decorate a function of a :class:`Context` that several rules call, so that it
    runs once per context (its result kept on the context, which rules never mutate)."""

    @functools.wraps(func)
    def once(ctx: Context) -> _T:
        memo: dict[Callable[..., object], object] = ctx.__dict__.setdefault("_per_context", {})
        if func not in memo:
            memo[func] = func(ctx)
        return memo[func]  # type: ignore[return-value]

    return once


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

    @functools.cached_property
    def loose_term_matches(self) -> list[tuple[int, int, Term]]:
        """Lexicon terms in forms the phrase matcher does not list (computed once:
        :func:`clarity.rules.jargon.loose_term_matches`)."""
        from clarity.rules.jargon import loose_term_matches

        return loose_term_matches(self)

    @functools.cached_property
    def quoted(self) -> Intervals:
        """Text in quotation marks on one line: a label the customer sees on screen
        ("Tick 'Cached images and files'", "click “Continue on this browser”") or an
        error message, written as the screen shows it (:func:`quoted_spans`)."""
        return Intervals(quoted_spans(self.text))

    @functools.cached_property
    def _ignored(self) -> Intervals:
        return Intervals((r.start, r.end) for r in self.regions if r.ignored_by("findings"))

    def in_region(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a region whose findings are ignored
        (every kind but greetings and sign-offs: :meth:`Region.ignored_by`)."""
        return self._ignored.overlaps(start, end)

    @functools.cached_property
    def term_matches(self) -> list[tuple[int, int, Term]]:
        """Lexicon terms in the text: ``(start_char, end_char, term)``, computed once."""
        out = []
        for m in self.resources.terms(self.doc):
            span = self.doc[m.start : m.end]
            out.append((span.start_char, span.end_char, m.entry))
        return out

    @functools.cached_property
    def tone_phrase_matches(self) -> list[Match[TonePhrase]]:
        """Phrases of ``data/tone_phrases.csv`` in the text (matched once for the tone
        rules that read them)."""
        return self.resources.tone_phrases(self.doc)

    @functools.cached_property
    def phrase_matches(self) -> list[Match[Phrase]]:
        """Wordy phrases and formal words in the text (matched once for W001 and W002)."""
        return self.resources.phrases(self.doc)

    @functools.cached_property
    def _sentence_starts(self) -> frozenset[int]:
        return frozenset(s.start_char for s in self.sentences)

    @functools.cached_property
    def _terms(self) -> Intervals:
        return Intervals((s, e) for s, e, _ in self.term_matches)

    def starts_sentence(self, offset: int) -> bool:
        """Whether a word at ``offset`` is the first word of its sentence."""
        return offset == 0 or offset in self._sentence_starts

    def in_term(self, offset: int) -> bool:
        """Whether ``offset`` falls inside a lexicon term."""
        return self._terms.contains(offset)


RuleFunc = Callable[[Context], Iterable[Hit]]
#: A rule docstring's sections, in order; all but the last are required.
SECTIONS = ("What it does", "Why it matters", "Example", "Use instead", "Not reported")
_REQUIRED = SECTIONS[:4]
#: The sections that hold examples (bulleted lists), and whether the rule must report them.
EXAMPLE_SECTIONS = {"Example": True, "Use instead": False, "Not reported": False}
_CODE = re.compile(r"^[A-Z]{1,3}\d{3}$")
_SECTION = re.compile(rf"^({'|'.join(SECTIONS)}):[ \t]*$", re.M)
_MARK = re.compile(r"\*\*(.+?)\*\*")
_INCOMING = re.compile(r'^\(to "(.+?)"\)\s+', re.S)


def doc_sections(doc: str) -> tuple[str, dict[str, str]]:
    """A rule docstring's title line and its sections, dedented, in docstring order."""
    title, _, body = inspect.cleandoc(doc).partition("\n")
    pieces = _SECTION.split(body.strip())
    if pieces[0].strip():
        raise ValueError(f"text before the first section: {pieces[0].strip()[:40]!r}")
    sections: dict[str, str] = {}
    for heading, text in zip(pieces[1::2], pieces[2::2], strict=True):
        if heading in sections:
            raise ValueError(f"section {heading!r} appears twice")
        sections[heading] = textwrap.dedent(text).strip("\n")
    return title.strip(), sections


@dataclass(frozen=True)
class Example:
    """One documented example: the text, the spans a rule must report in it (empty for
    texts it must leave alone), and the customer's message it replies to, if any."""

    text: str
    spans: tuple[str, ...] = ()
    incoming: str | None = None


def example_items(section: str) -> list[str]:
    """The items of a bulleted example section, as written (markup kept): each item's
    wrapped lines joined by a space, its paragraphs by a blank line."""
    items: list[list[str]] = []
    for line in section.split("\n"):
        if line.startswith("- "):
            items.append([line[2:]])
        elif not line.strip():
            if items:
                items[-1].append("")
        elif line.startswith("  ") and items:
            items[-1].append(line[2:])
        else:
            raise ValueError(f"example lines must be '- ' items or indented: {line[:40]!r}")
    out = []
    for lines in items:
        paragraphs = "\n".join(lines).strip().split("\n\n")
        out.append("\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip()))
    return out


def parse_example(item: str) -> Example:
    """An :class:`Example` from one item of :func:`example_items`."""
    incoming = None
    m = _INCOMING.match(item)
    if m:
        incoming, item = m.group(1), item[m.end() :]
    spans = tuple(mark.group(1) for mark in _MARK.finditer(item))
    return Example(_MARK.sub(r"\1", item), spans, incoming)


@dataclass(frozen=True)
class Examples:
    """A rule's documented examples: texts it must report and texts it must not."""

    flag: tuple[Example, ...]
    ok: tuple[Example, ...]


def parse_examples(doc: str) -> Examples:
    """The examples of a rule docstring (see the module docstring for the format)."""
    _, sections = doc_sections(doc)
    flag: list[Example] = []
    ok: list[Example] = []
    for heading, reported in EXAMPLE_SECTIONS.items():
        for item in example_items(sections.get(heading, "")):
            example = parse_example(item)
            if bool(example.spans) != reported:
                what = "must mark" if reported else "must not mark"
                raise ValueError(f"{heading!r} items {what} a reported span with **...**")
            (flag if reported else ok).append(example)
    return Examples(tuple(flag), tuple(ok))


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
    #: Off unless ``select`` names it by its full code: a style preference, not a
    #: problem for most replies (``select = ["T009"]`` turns it on).
    opt_in: bool = False

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        """The docstring's first line: what the rule reports, in a few words."""
        return self.doc.split("\n", 1)[0].strip()

    @property
    def examples(self) -> Examples:
        """The docstring's examples: those the rule must report and those it must not."""
        return parse_examples(self.doc)


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    category: Category,
    severity: Severity,
    *,
    late: bool = False,
    target: str = "text",
    opt_in: bool = False,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``code``."""

    def register(func: RuleFunc) -> RuleFunc:
        if not _CODE.match(code):
            raise ValueError(f"rule code {code!r} must look like 'J001'")
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        doc = func.__doc__ or ""
        try:
            _, sections = doc_sections(doc)
            missing = [s for s in _REQUIRED if s not in sections]
            if missing:
                raise ValueError(f"lacks section(s): {', '.join(missing)}")
            if list(sections) != [s for s in SECTIONS if s in sections]:
                raise ValueError(f"sections must come in this order: {', '.join(SECTIONS)}")
            examples = parse_examples(doc)
            if not examples.flag or not examples.ok:
                raise ValueError("needs an example to report and one to leave alone")
        except ValueError as exc:
            raise ValueError(f"rule {code} docstring: {exc}") from None
        if target not in ("text", "subject"):
            raise ValueError(f"rule {code}: target must be 'text' or 'subject'")
        REGISTRY[code] = Rule(code, name, category, severity, func, late, target, opt_in)
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


def match_case(
    template: str, replacement: str, sentence_start: bool = False, listed: str = ""
) -> str:
    """Give ``replacement`` the capitalisation ``template`` has in its sentence.

    All capitals carry over from a multi-word template the writer shouted (``IN ORDER
    TO``), not from one written as its entry is listed (``listed``: "PCI DSS", "RAID
    5" are capitals by name); a capital first letter carries over only at the start
    of a sentence, so ``the Authenticator app`` -> ``the sign-in code app`` and ``IT``
    -> ``the IT team`` mid-sentence.
    """
    if not replacement or not template:
        return replacement
    shouted = template.isupper() and template != listed
    if " " in template.strip() and shouted and replacement.islower():
        return replacement.upper()
    if sentence_start and template[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


#: Text in quotation marks on one line, up to 80 characters: straight or curly, double
#: or single (a single quote not inside a word, so "don't" opens nothing).
_QUOTED = re.compile(
    r"(?<!\w)(?:'[^'\n]{1,80}'|\"[^\"\n]{1,80}\"|\u2018[^\u2019\n]{1,80}\u2019"
    r"|\u201c[^\u201d\n]{1,80}\u201d)(?!\w)"
)


_LINKS = "(?:to|and|then|the|an?|on|in|for|or|it|if|so|when|from|with|at|by|of|is|are|was|will)"
#: A menu path as the screen shows it: "Maintenance > Clean printheads", "Settings >
#: Battery and device care > Battery" (each step capitalised; the last one or two words).
_MENU_PATH = re.compile(
    r"(?<![\w'&-])[A-Z][\w'&-]*(?: [A-Z][\w'&-]*){0,3} ?[>\u203a\u2192] ?"
    r"(?:[A-Z][\w'&-]*(?: [\w'&-]+){0,3} ?[>\u203a\u2192] ?){0,6}"
    r"[A-Z][\w'&-]*(?: [A-Z][\w'&-]*){0,3}(?: (?!" + _LINKS + r"\b)[a-z][\w'&-]*)?"
)


#: A button or option named after the verb that uses it: "tick Encrypt", "click Sync
#: Now" (capitalised words, not acronyms: "select DHCP" is still jargon).
_CONTROL_NAME = re.compile(
    r"\b(?:click|tap|tick|untick|press|choose|select|pick)(?: on)? "
    r"((?:[A-Z][a-z][\w'&-]*)(?: [A-Z][a-z][\w'&-]*){0,3})\b"
)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each run of text in quotation marks on one line, each
    menu path ("go to Maintenance > Clean printheads") and each control named after
    the verb that uses it ("tick Encrypt"): labels as the screen shows them."""
    spans = [m.span() for m in _QUOTED.finditer(text)]
    if any(arrow in text for arrow in ">\u203a\u2192"):
        spans += [m.span() for m in _MENU_PATH.finditer(text)]
    spans += [m.span(1) for m in _CONTROL_NAME.finditer(text)]
    return sorted(spans)


#: Messages quote at most this many characters of the text (a pasted key or a long
#: sentence is cut, with "…").
MAX_QUOTE = 60


def quote(text: str) -> str:
    """``text`` in quotation marks, cut to :data:`MAX_QUOTE` characters."""
    if len(text) > MAX_QUOTE:
        text = text[: MAX_QUOTE - 1].rstrip() + "…"
    return f"“{text}”"
