"""The terminal report: ``file:line:col: CODE message``, the line, the span marked."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from clarity.types import Finding, Report, Severity

Style = Callable[..., str]

_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset`` in ``text``."""
    starts = _line_starts(text)
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _plain(text: str, **_: object) -> str:
    return text


#: Longest source line shown; longer lines are cut around the finding.
MAX_LINE = 100


def _window(line: str, start: int, width: int) -> tuple[str, int]:
    """Cut ``line`` to at most :data:`MAX_LINE` characters around ``[start, start+width)``.

    Returns the shown text and where the span starts in it.
    """
    if len(line) <= MAX_LINE:
        return line, start
    lead = max(0, start - 30)
    stop = min(len(line), max(lead + MAX_LINE, start + min(width, MAX_LINE - 30)))
    shown = line[lead:stop]
    offset = start - lead
    if lead > 0:
        shown, offset = "…" + shown, offset + 1
    if stop < len(line):
        shown += "…"
    return shown, offset


def render_finding(report: Report, finding: Finding, source: str, style: Style = _plain) -> str:
    text = report.text
    line, col = line_col(text, finding.start)
    line_start = text.rfind("\n", 0, finding.start) + 1
    line_end = text.find("\n", finding.start)
    line_end = len(text) if line_end < 0 else line_end
    shown = text[line_start:line_end].replace("\t", " ").rstrip("\r")
    span_end = min(finding.end, line_end)
    width = max(1, span_end - finding.start)
    shown, offset = _window(shown, col - 1, width)
    colour = _SEVERITY_COLOUR[finding.severity]
    head = (
        f"{style(f'{source}:{line}:{col}:', bold=True)} "
        f"{style(finding.code, fg=colour, bold=True)} "
        f"{style(f'[{finding.severity.value}]', fg=colour)} {finding.message}"
    )
    gutter = f"{line:>5} | "
    out = [head, f"{gutter}{shown}"]
    marker = " " * offset + "^" * max(1, min(width, len(shown) - offset))
    out.append(" " * (len(gutter) - 2) + "| " + style(marker, fg=colour))
    if finding.fix is not None and finding.fix.edits:
        kind = finding.fix.applicability.value
        out.append(f"      = fix ({kind}): {finding.fix.message}")
    elif finding.suggestions:
        out.append("      = try: " + " | ".join(finding.suggestions[:3]))
    return "\n".join(out)


def render_subject_finding(
    report: Report, finding: Finding, source: str, style: Style = _plain
) -> str:
    """A finding about the subject line: ``file:subject:col: CODE message``."""
    subject = (report.subject or "").replace("\t", " ")
    width = max(1, finding.end - finding.start)
    shown, offset = _window(subject, finding.start, width)
    colour = _SEVERITY_COLOUR[finding.severity]
    head = (
        f"{style(f'{source}:subject:{finding.start + 1}:', bold=True)} "
        f"{style(finding.code, fg=colour, bold=True)} "
        f"{style(f'[{finding.severity.value}]', fg=colour)} {finding.message}"
    )
    gutter = "  subj | "
    marker = " " * offset + "^" * max(1, min(width, len(shown) - offset))
    out = [head, f"{gutter}{shown}", " " * (len(gutter) - 2) + "| " + style(marker, fg=colour)]
    if finding.fix is not None and finding.fix.edits:
        out.append(f"      = fix ({finding.fix.applicability.value}): {finding.fix.message}")
    return "\n".join(out)


def render_summary(report: Report, source: str, style: Style = _plain) -> str:
    counts = report.counts()
    r = report.readability
    parts = [
        f"{counts[s.value]} {s.value}" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    figures = (
        f"score {report.score}/100 · grade {r.grade:.1f} · reading ease {r.reading_ease:.0f}"
        f" · {r.words} words · audience {report.audience}"
    )
    return f"{style(source, bold=True)}: {', '.join(parts)} · {figures}"


def render_text(report: Report, source: str, style: Style = _plain) -> str:
    """All findings of one report, then its summary line."""
    blocks = [render_subject_finding(report, f, source, style) for f in report.subject_findings]
    blocks += [render_finding(report, f, source, style) for f in report.findings]
    blocks.append(render_summary(report, source, style))
    return "\n\n".join(blocks)
