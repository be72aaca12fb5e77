"""Severity in context: what some findings weigh depends on the rest of the message.

A rule reports what it sees in one place. Some findings hurt the reader only in
numbers: one unexplained technical term in an otherwise plain reply is a hint (the
customer can ask, or guess it from the sentence); several are a reply they cannot
follow. The engine calls :func:`calibrate` once on a message's findings, after every
rule has run, so the severity a finding carries (and with it the pre-send gate's
verdict and ``clarity check``'s exit code) says whether it hurts.

A severity the user set for a code (``severity = {J001 = "warning"}``) is never
changed: calibration applies to the rules' default severities only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from clarity.config import Config
from clarity.limits import MIN_JARGON_TERMS_TO_WARN
from clarity.types import Finding, Severity

#: The codes whose findings count as unexplained technical terms.
JARGON_CODES = frozenset({"J001", "J002"})
#: Findings that count towards how dense with technical terms a message is, though
#: they stay hints themselves: J003's words in a technical sense and codes.
DENSITY_CODES = JARGON_CODES | {"J003"}


def jargon_terms(findings: Sequence[Finding]) -> set[str]:
    """The distinct unexplained terms among ``findings`` (case-folded), J003's too."""
    return {f.text.casefold() for f in findings if f.code in DENSITY_CODES}


def calibrate(findings: Sequence[Finding], config: Config) -> list[Finding]:
    """``findings`` with lone jargon lowered to ``info``.

    When a message holds fewer than :data:`~clarity.limits.MIN_JARGON_TERMS_TO_WARN`
    distinct terms reported by J001, J002 or J003 (a word in its technical sense, a
    code), the warnings of J001 and J002 become infos: the reply is readable with one
    such word, and holding it would teach agents to ignore the gate. From that many
    terms on, each keeps its rule's severity (J003's stay hints: they count towards
    how dense the message is, as guesses they hold nothing themselves).
    """
    if len(jargon_terms(findings)) >= MIN_JARGON_TERMS_TO_WARN:
        return list(findings)
    return [
        dataclasses.replace(f, severity=Severity.INFO)
        if f.code in JARGON_CODES and f.severity is Severity.WARNING and not config.sets(f.code)
        else f
        for f in findings
    ]
