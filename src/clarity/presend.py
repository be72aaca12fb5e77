"""Pre-send verdicts: should this reply go out as it is?

:func:`presend` checks a draft with the one engine (:class:`~clarity.engine.Checker`)
and judges the report against a :class:`Policy`. The front ends (``clarity hook``,
``POST /v1/presend`` of ``clarity serve``) are thin faces over it.

A policy blocks a draft when any of these holds:

* a finding is at or above ``fail_on`` (default ``warning``; ``None`` / ``"never"``:
  findings never block by severity);
* ``max_grade`` is set and the message's grade is above it (messages under 40 words
  are not judged, as for rule R004);
* ``min_politeness`` is set, the report carries a tone estimate, and its politeness
  (the probability that the message reads polite) is below it;
* ``max_jargon`` is set and the message uses more distinct jargon terms (findings of
  category ``jargon``, compared case-insensitively) than that.

Policies live in ``[tool.clarity.presend]`` of ``pyproject.toml`` (or ``[presend]`` in
``clarity.toml``) and every setting can be overridden per call.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clarity.config import (
    DEFAULT_FAIL_ON,
    FAIL_ON_NEVER,
    Config,
    find_config_file,
    load_config,
    parse_fail_on,
    read_config_file,
)
from clarity.draft import Draft
from clarity.errors import ConfigError
from clarity.limits import MIN_WORDS_FOR_GRADE
from clarity.types import Category, Finding, Region, Report, Severity

if TYPE_CHECKING:
    from clarity.engine import Checker


__all__ = ["Policy", "Reason", "Verdict", "load_policy", "presend", "verdict_for"]


@dataclass(frozen=True)
class Policy:
    """What blocks a draft. ``None`` switches a test off.

    * ``fail_on``: findings at or above this severity block (default ``warning``,
      the same gate as ``clarity check``);
    * ``max_grade``: the highest Flesch-Kincaid grade allowed (default: no cap of its
      own; at the default ``fail_on``, rule R004 already blocks a message four grades
      or more above its audience's target grade);
    * ``min_politeness``: the lowest politeness (0-1) allowed, when a tone estimate
      is available (default: off);
    * ``max_jargon``: the most distinct jargon terms allowed (default: off).
    """

    fail_on: Severity | None = DEFAULT_FAIL_ON
    max_grade: float | None = None
    min_politeness: float | None = None
    max_jargon: int | None = None

    def replace(self, **changes: Any) -> Policy:
        """A copy with ``changes`` (validated). ``None`` values are ignored, except
        that ``fail_on="never"`` switches the severity test off."""
        return _merge(self, {k: v for k, v in changes.items() if v is not None})

    def update(self, changes: Mapping[str, Any]) -> Policy:
        """A copy with ``changes`` (validated), where ``None`` switches a test off: the
        shape of :meth:`to_dict` and of the ``"policy"`` of ``POST /v1/presend``."""
        off = {k for k, v in changes.items() if v is None}
        _merge(self, dict.fromkeys(off - set(_POLICY_FIELDS), 0))  # unknown keys: an error
        policy = _merge(self, {k: v for k, v in changes.items() if v is not None})
        return dataclasses.replace(policy, **dict.fromkeys(off & set(_POLICY_FIELDS)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "fail_on": self.fail_on.value if self.fail_on is not None else FAIL_ON_NEVER,
            "max_grade": self.max_grade,
            "min_politeness": self.min_politeness,
            "max_jargon": self.max_jargon,
        }


_POLICY_FIELDS = tuple(f.name for f in dataclasses.fields(Policy))


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"presend setting {name!r} must be a number")
    return float(value)


def _coerce(name: str, value: Any) -> Any:
    if name == "fail_on":
        if not isinstance(value, (str, Severity)):
            raise ConfigError("presend setting 'fail_on' must be a severity or 'never'")
        return parse_fail_on(value, "presend setting 'fail_on'")
    if name == "max_grade":
        return _number(name, value)
    if name == "min_politeness":
        number = _number(name, value)
        if not 0.0 <= number <= 1.0:
            raise ConfigError("presend setting 'min_politeness' must be between 0 and 1")
        return number
    if name == "max_jargon":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError("presend setting 'max_jargon' must be a whole number >= 0")
        return value
    raise AssertionError(name)  # pragma: no cover


def _merge(policy: Policy, changes: Mapping[str, Any]) -> Policy:
    unknown = sorted(set(changes) - set(_POLICY_FIELDS))
    if unknown:
        raise ConfigError(
            f"unknown presend setting(s): {', '.join(unknown)} (known: {', '.join(_POLICY_FIELDS)})"
        )
    return dataclasses.replace(policy, **{k: _coerce(k, v) for k, v in changes.items()})


def load_policy(
    start: Path | str | None = None, file: Path | str | None = None, **overrides: Any
) -> Policy:
    """The policy of ``[tool.clarity.presend]`` (``[presend]`` in ``clarity.toml``) in the
    configuration found from ``start`` (default: the current folder), or in ``file``;
    then ``overrides`` (``None`` values skipped; ``fail_on="never"`` switches it off)."""
    if file is not None:
        found: tuple[Path, dict[str, Any]] | None = read_config_file(Path(file))
    else:
        found = find_config_file(Path(start) if start is not None else Path.cwd())
    policy = Policy()
    if found is not None:
        path, section = found
        table = section.get("presend")
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError(f"{path}: 'presend' must be a table")
            try:
                policy = _merge(policy, table)
            except ConfigError as exc:
                raise ConfigError(f"{path}: {exc}") from None
    return policy.replace(**overrides)


@dataclass(frozen=True)
class Reason:
    """Why a draft is blocked: ``kind`` is ``severity``, ``grade``, ``politeness`` or
    ``jargon``; ``message`` is one line for the writer."""

    kind: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class Verdict:
    """The pre-send verdict on one draft.

    ``blocking`` are the findings that block it (at or above ``fail_on``, and the
    jargon findings when there are more terms than ``max_jargon``); ``others`` the rest;
    ``reasons`` one line per failed test; ``rewritten`` the draft with clarity's safe
    fixes applied (``Checker.fix``), equal to the draft when there are none.
    """

    allowed: bool
    blocking: tuple[Finding, ...]
    others: tuple[Finding, ...]
    reasons: tuple[Reason, ...]
    report: Report
    rewritten: str
    policy: Policy
    incoming: str | None = None

    @property
    def tone(self) -> Any:
        """The report's tone estimate (``.politeness``, ``.label``), or ``None``."""
        return self.report.tone

    def summary(self) -> str:
        """One line: allowed or blocked, and why."""
        r = self.report.readability
        tail = f"score {self.report.score}/100 · grade {r.grade:.1f} · {r.words} words"
        tone = self.tone
        if tone is not None:
            tail += f" · tone {tone.label} ({tone.politeness:.2f})"
        if self.allowed:
            return f"allowed: {tail}"
        return f"blocked: {'; '.join(x.message for x in self.reasons)} · {tail}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the verdict, the report as one ``results`` entry of the JSON output
        (``result``), and the codes and offsets of the blocking findings."""
        from clarity.render import result_dict

        tone = self.tone
        result = result_dict(self.report, self.report.source)
        if tone is not None and "tone" not in result:
            result["tone"] = tone.to_dict()
        return {
            "allowed": self.allowed,
            "summary": self.summary(),
            "reasons": [x.to_dict() for x in self.reasons],
            "blocking": [_finding_ref(f) for f in self.blocking],
            "policy": self.policy.to_dict(),
            "rewritten": self.rewritten,
            "tone": tone.to_dict() if tone is not None else None,
            "incoming": self.incoming,
            "result": result,
        }


def _finding_ref(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity.value, "start": f.start, "end": f.end}


def _term(f: Finding) -> str:
    return " ".join(f.text.lower().split())


def verdict_for(
    report: Report,
    policy: Policy,
    *,
    rewritten: str | None = None,
    incoming: str | None = None,
) -> Verdict:
    """Judge ``report`` by ``policy`` (the rewriting is up to the caller)."""
    found = (*report.subject_findings, *report.findings)
    blocking: list[Finding] = []
    reasons: list[Reason] = []
    if policy.fail_on is not None:
        blocking = [f for f in found if f.severity.rank >= policy.fail_on.rank]
        if blocking:
            n = len(blocking)
            codes = ", ".join(dict.fromkeys(f.code for f in blocking))
            reasons.append(
                Reason(
                    "severity",
                    f"{n} finding{'s' * (n != 1)} at or above {policy.fail_on.value} ({codes})",
                )
            )
    r = report.readability
    if (
        policy.max_grade is not None
        and r.words >= MIN_WORDS_FOR_GRADE
        and r.grade > policy.max_grade
    ):
        reasons.append(
            Reason("grade", f"grade {r.grade:.1f} is above the maximum {policy.max_grade:g}")
        )
    tone = report.tone
    if policy.min_politeness is not None and tone is not None:
        politeness = float(tone.politeness)
        if politeness < policy.min_politeness:
            reasons.append(
                Reason(
                    "politeness",
                    f"politeness {politeness:.2f} ({tone.label}) is below the minimum "
                    f"{policy.min_politeness:g}",
                )
            )
    if policy.max_jargon is not None:
        jargon = [f for f in report.findings if f.category == Category.JARGON]
        terms = dict.fromkeys(_term(f) for f in jargon)
        if len(terms) > policy.max_jargon:
            shown = ", ".join(f"“{t}”" for t in list(terms)[:5]) + ("…" * (len(terms) > 5))
            reasons.append(
                Reason(
                    "jargon",
                    f"{len(terms)} jargon terms ({shown}); the maximum is {policy.max_jargon}",
                )
            )
            blocking += [f for f in jargon if f not in blocking]
    ids = {id(f) for f in blocking}
    order = {id(f): i for i, f in enumerate(found)}
    return Verdict(
        allowed=not reasons,
        blocking=tuple(sorted(blocking, key=lambda f: order[id(f)])),
        others=tuple(f for f in found if id(f) not in ids),
        reasons=tuple(reasons),
        report=report,
        rewritten=report.text if rewritten is None else rewritten,
        policy=policy,
        incoming=incoming,
    )


def presend(
    draft: str | Draft,
    *,
    incoming: str | None = None,
    policy: Policy | None = None,
    config: Config | None = None,
    checker: Checker | None = None,
    regions: Sequence[Region] | None = None,
    subject: str | None = None,
    source: str | None = None,
    **options: Any,
) -> Verdict:
    """The pre-send verdict on ``draft``.

    ``draft`` is the text (or a :class:`~clarity.draft.Draft`, whose fields are used
    where the arguments are not given). ``incoming`` is the customer's message the
    draft answers: kept in the verdict and read by the tone rules. ``regions`` are
    detected when not given, as :meth:`~clarity.engine.Checker.check` does.
    ``policy`` defaults to :func:`load_policy` from the current folder; ``config``
    (or a reusable ``checker``) to the configuration found from the current folder,
    with ``options`` (settings such as ``audience="technical"``) applied over it.

    >>> verdict = presend("Please flush your DNS cache.")   # doctest: +SKIP
    >>> verdict.allowed, [f.code for f in verdict.blocking]  # doctest: +SKIP
    (False, ['J001'])
    """
    from clarity.engine import Checker

    if checker is None:
        base = config if config is not None else load_config()
        checker = Checker(base.replace(**options) if options else base)
    elif options:
        checker = Checker(checker.config.replace(**options))
    if policy is None:
        policy = load_policy()
    if not isinstance(draft, Draft):
        draft = Draft(draft)
    draft = draft.replace(
        incoming=incoming if incoming is not None else draft.incoming,
        regions=regions if regions is not None else draft.regions,
        subject=subject if subject is not None else draft.subject,
        source=source if source is not None else draft.source,
    )
    report = checker.check_draft(draft)
    # The safe rewrite: Checker.fix, reusing this report for its first pass.
    rewritten = checker.fix(report.text, report=report, max_passes=3).text
    return verdict_for(report, policy, rewritten=rewritten, incoming=draft.incoming)
