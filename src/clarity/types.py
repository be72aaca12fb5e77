"""The values clarity passes around: findings, fixes, reports.

Offsets are the truth: every span is ``[start, end)`` in characters of the original
text. Line and column numbers are computed only when a report is rendered.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    """How much a finding matters. Ordered: ``info < warning < error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        try:
            return cls(str(value.value if isinstance(value, Severity) else value).lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {names})") from None


_SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class Category(str, enum.Enum):
    JARGON = "jargon"
    READABILITY = "readability"
    WORDINESS = "wordiness"
    TONE = "tone"
    STRUCTURE = "structure"


class Applicability(str, enum.Enum):
    """How far a fix can be trusted (ruff's model).

    ``safe`` keeps the meaning and is applied by default; ``unsafe`` may shift the
    meaning and is applied only on request; ``display`` is advice to apply by hand.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY = "display"


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "replacement": self.replacement}


@dataclass(frozen=True)
class Fix:
    """A proposed change: one or more edits and how far they can be trusted."""

    edits: tuple[Edit, ...]
    applicability: Applicability
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "applicability": self.applicability.value,
            "message": self.message,
            "edits": [e.to_dict() for e in self.edits],
        }


@dataclass(frozen=True)
class Finding:
    """One thing clarity has to say about a span of the text."""

    code: str
    rule: str
    category: Category
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestions: tuple[str, ...] = ()
    fix: Fix | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule": self.rule,
            "category": self.category.value,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "fix": self.fix.to_dict() if self.fix else None,
        }


@dataclass(frozen=True)
class SentenceScore:
    """Difficulty of one sentence."""

    start: int
    end: int
    words: int
    syllables: int
    grade: float
    reading_ease: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "words": self.words,
            "syllables": self.syllables,
            "grade": self.grade,
            "reading_ease": self.reading_ease,
        }


@dataclass(frozen=True)
class Readability:
    """Message-level readability figures (textstat) and per-sentence difficulty."""

    grade: float
    reading_ease: float
    metrics: dict[str, float]
    words: int
    sentences: int
    sentence_scores: tuple[SentenceScore, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "grade": self.grade,
            "reading_ease": self.reading_ease,
            "words": self.words,
            "sentences": self.sentences,
            "metrics": dict(self.metrics),
            "per_sentence": [s.to_dict() for s in self.sentence_scores],
        }


#: Region kinds that hold the writer's own words but not running prose (greetings and
#: sign-offs): findings and tone count them; readability figures leave them out.
OWN_WORDS_KINDS = frozenset({"greeting", "signoff"})
#: What a region can be left out of.
PURPOSES = ("findings", "readability", "tone")


@dataclass(frozen=True)
class Region:
    """A part of the text that is not the writer's own prose (quoted history, a
    signature, pasted code). Ignored by the rules, never deleted."""

    start: int
    end: int
    kind: str

    def ignored_by(self, purpose: str) -> bool:
        """Whether ``purpose`` (``findings``, ``readability`` or ``tone``) skips this region.

        The one place that decides: readability skips every region; findings and tone
        skip all but greetings and sign-offs (:data:`OWN_WORDS_KINDS`).
        """
        if purpose not in PURPOSES:
            raise ValueError(f"unknown purpose {purpose!r} (expected one of: {PURPOSES})")
        return purpose == "readability" or self.kind not in OWN_WORDS_KINDS

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "kind": self.kind}


@dataclass(frozen=True)
class Report:
    """What clarity found in one text."""

    text: str
    findings: tuple[Finding, ...]
    readability: Readability
    score: int
    audience: str
    regions: tuple[Region, ...] = ()
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: The subject line checked with the text, if any.
    subject: str | None = None
    #: Findings about the subject: their offsets index ``subject``, not ``text``.
    subject_findings: tuple[Finding, ...] = ()
    #: How polite the message reads (``None`` for an empty text).
    tone: ToneReport | None = None

    def counts(self) -> dict[str, int]:
        """Number of findings per severity, subject findings included."""
        out = {s.value: 0 for s in Severity}
        for f in (*self.subject_findings, *self.findings):
            out[f.severity.value] += 1
        return out

    def fixed(self, unsafe: bool = False) -> str:
        """The text with this report's fixes applied in one pass (safe ones, plus
        unsafe ones if ``unsafe``). :func:`clarity.rewrite` also re-checks and repeats
        until nothing changes."""
        from clarity.fixes import apply_fixes

        return apply_fixes(self.text, self.findings, unsafe=unsafe, regions=self.regions)[0]

    def at_or_above(self, threshold: Severity) -> list[Finding]:
        """Findings at or above ``threshold``, subject findings first."""
        found = (*self.subject_findings, *self.findings)
        return [f for f in found if f.severity.rank >= threshold.rank]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "text": self.text,
            "audience": self.audience,
            "score": self.score,
            "counts": self.counts(),
            "readability": self.readability.to_dict(),
            "tone": self.tone.to_dict() if self.tone is not None else None,
            "regions": [r.to_dict() for r in self.regions],
            "findings": [f.to_dict() for f in self.findings],
            "subject": self.subject,
            "subject_findings": [f.to_dict() for f in self.subject_findings],
        }
        data.update(self.extra)
        return data


@dataclass(frozen=True)
class ToneSentence:
    """The politeness of one sentence: P(polite) from the tone model."""

    start: int
    end: int
    politeness: float

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "politeness": self.politeness}


@dataclass(frozen=True)
class TonePhrase:
    """A feature that pushed the politeness score: its words in the text (when it has
    a place), the model's feature name, and its weight in log-odds (positive: more
    polite)."""

    text: str
    feature: str
    weight: float
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "feature": self.feature,
            "weight": self.weight,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class ToneReport:
    """How polite the message reads (see ``docs/tone-model.md``)."""

    #: Probability in [0, 1] that the message reads as polite.
    politeness: float
    #: ``polite`` (>= 0.6), ``neutral`` or ``impolite`` (< 0.4).
    label: str
    sentences: tuple[ToneSentence, ...] = ()
    #: The phrases that pushed the score most towards polite, strongest first.
    polite_phrases: tuple[TonePhrase, ...] = ()
    #: The phrases that pushed the score most towards impolite, strongest first.
    impolite_phrases: tuple[TonePhrase, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "politeness": self.politeness,
            "label": self.label,
            "sentences": [s.to_dict() for s in self.sentences],
            "polite_phrases": [p.to_dict() for p in self.polite_phrases],
            "impolite_phrases": [p.to_dict() for p in self.impolite_phrases],
        }
