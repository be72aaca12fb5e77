"""Applying fixes: plainer wording, and nothing else changed.

The engine takes the findings' fixes, keeps those the caller allows (``safe``, plus
``unsafe`` on request; ``display`` fixes are advice and never applied), drops any
that touch an ignored region (quoted history, a signature, code; not greetings and
sign-offs, which are the writer's own words and are checked), and applies the rest
together when they do not overlap. When two overlap, the one that starts first wins,
then the longer, then the safer, then the lower rule code: the same input always
gives the same output. Text outside the edited spans is left byte for byte.

Whether an unsafe swap reads in its sentence is decided before a fix is offered: the
rules ask :mod:`clarity.fit` (number, articles, part of speech, compounds, verb
frames) and offer a swap that cannot be shown to fit for display only, so it is never
applied here.

Two touch-ups keep the sentence grammatical around an edit, and are made here,
once, rather than by each rule:

* ``a``/``an`` before a replaced word, on the same line, is corrected
  (``a utility`` -> ``an app``...);
* a deletion at the start of a sentence capitalises the word that now starts it.

Touch-ups are edits like any other: never inside a region, never overlapping another
edit. Choosing is linear in the number of fixes (regions and taken edits are looked up
by bisection; touch-ups look back a few characters, not to the start of the text).

:func:`apply_fixes` does one pass over one report. :meth:`Checker.fix
<clarity.engine.Checker.fix>` checks, applies and checks again until nothing
changes (fixes skipped for overlapping in one pass can apply in the next).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from clarity.spans import Intervals
from clarity.types import Applicability, Edit, Finding, Region

_ARTICLE_BEFORE = re.compile(r"(?<![\w'’-])([Aa]n?)([ \t]+)\Z")
#: How far back a touch-up looks for the article or the end of a sentence.
_LOOK_BACK = 64
_VOWEL_SOUND_EXCEPTIONS = ("uni", "use", "usu", "one", "eu")
_SILENT_H = ("hour", "honest", "honour", "honor", "heir")
_APPLICABILITY_RANK = {Applicability.SAFE: 0, Applicability.UNSAFE: 1, Applicability.DISPLAY: 2}


def article_for(word: str) -> str:
    """``a`` or ``an`` before ``word``, by its first sound as far as spelling tells."""
    lower = word.lower()
    if not lower:
        return "a"
    if lower.startswith(_SILENT_H):
        return "an"
    if lower.startswith(_VOWEL_SOUND_EXCEPTIONS):
        return "a"
    if word[:2].isupper() or (len(word) == 1 and word.isalpha()):
        # an acronym read letter by letter: "an SSO", "a VPN", "an MFA"
        return "an" if lower[0] in "aefhilmnorsx" else "a"
    return "an" if lower[0] in "aeiou" else "a"


@dataclass(frozen=True)
class AppliedFix:
    """A finding whose fix was applied."""

    finding: Finding
    edits: tuple[Edit, ...]


def allowed(finding: Finding, unsafe: bool) -> bool:
    fix = finding.fix
    if fix is None or not fix.edits:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return unsafe and fix.applicability is Applicability.UNSAFE


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one point: order would be arbitrary
    return a.start < b.end and b.start < a.end


def _in_region(edit: Edit, regions: Sequence[Region] | Intervals) -> bool:
    """Whether ``edit`` meets a region (an insertion counts as one character wide)."""
    spans = (
        regions if isinstance(regions, Intervals) else Intervals((r.start, r.end) for r in regions)
    )
    return spans.overlaps(edit.start, max(edit.end, edit.start + 1))


class _Taken:
    """The edits chosen so far (never overlapping), sorted by start."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []
        self.starts: list[int] = []

    def clashes(self, edit: Edit) -> bool:
        lo = bisect.bisect_left(self.starts, edit.start)
        hi = bisect.bisect_right(self.starts, edit.end)
        return any(_overlaps(edit, t) for t in self.edits[max(0, lo - 1) : hi + 1])

    def add(self, edit: Edit) -> None:
        i = bisect.bisect_right(self.starts, edit.start)
        self.starts.insert(i, edit.start)
        self.edits.insert(i, edit)


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence: the start of the text or of a line (after
    spaces), or after ``.``, ``!``, ``?`` and a space."""
    j = pos
    floor = max(0, pos - _LOOK_BACK)
    while j > floor and text[j - 1] in " \t":
        j -= 1
    if j == 0 or text[j - 1] in "\n\r":
        return True
    return j < pos and text[j - 1] in ".!?"


def _touch_ups(text: str, edit: Edit) -> list[Edit]:
    """Grammar edits next to ``edit``: the article before it, a capital after it."""
    out: list[Edit] = []
    if edit.replacement:
        window = max(0, edit.start - _LOOK_BACK)
        m = _ARTICLE_BEFORE.search(text[window : edit.start])
        first_word = edit.replacement.split()[0] if edit.replacement.split() else ""
        if m and first_word:
            article = m.group(1)
            wanted = article_for(first_word)
            if article.lower() != wanted:
                wanted = wanted.capitalize() if article[0].isupper() else wanted
                out.append(Edit(window + m.start(1), window + m.end(1), wanted))
    elif _starts_sentence(text, edit.start):
        nxt = edit.end
        if nxt < len(text) and text[nxt].islower():
            out.append(Edit(nxt, nxt + 1, text[nxt].upper()))
    return out


def _priority(finding: Finding) -> tuple[int, int, int, str]:
    """Earliest first, then longest, then safest, then lowest code."""
    assert finding.fix is not None
    start = min(e.start for e in finding.fix.edits)
    end = max(e.end for e in finding.fix.edits)
    return (start, start - end, _APPLICABILITY_RANK[finding.fix.applicability], finding.code)


def choose(
    text: str, findings: Iterable[Finding], *, unsafe: bool = False, regions: Sequence[Region] = ()
) -> list[AppliedFix]:
    """The fixes to apply together: allowed, outside regions, not overlapping."""
    candidates = sorted((f for f in findings if allowed(f, unsafe)), key=_priority)
    # Greetings and sign-offs are the writer's own words: their findings may be fixed.
    spans = Intervals((r.start, r.end) for r in regions if r.ignored_by("findings"))
    taken = _Taken()
    chosen: list[AppliedFix] = []
    for finding in candidates:
        assert finding.fix is not None
        edits = list(finding.fix.edits)
        if any(_in_region(e, spans) for e in edits) or any(taken.clashes(e) for e in edits):
            continue
        extra = [t for e in edits for t in _touch_ups(text, e)]
        # Touch-ups are optional: dropped when they would meet a region or another edit.
        extra = [
            t
            for t in extra
            if not any(_overlaps(t, e) for e in edits)
            and not _in_region(t, spans)
            and not taken.clashes(t)
        ]
        all_edits = edits + extra
        for e in all_edits:
            taken.add(e)
        chosen.append(AppliedFix(finding, tuple(all_edits)))
    return chosen


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; text between them is copied unchanged."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[str] = []
    pos = 0
    for e in ordered:
        if e.start < pos:
            raise ValueError(f"overlapping edits at {e.start}")
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def apply_fixes(
    text: str, findings: Iterable[Finding], *, unsafe: bool = False, regions: Sequence[Region] = ()
) -> tuple[str, list[AppliedFix]]:
    """One pass: the text with the chosen fixes applied, and which were applied."""
    chosen = choose(text, findings, unsafe=unsafe, regions=regions)
    return apply_edits(text, [e for c in chosen for e in c.edits]), chosen
