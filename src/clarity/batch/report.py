"""A batch's report: the running summary, the progress line, and the writer that
streams outcomes in the chosen format."""

from __future__ import annotations

import json
import textwrap
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from clarity.batch.workers import Outcome
from clarity.render import SCHEMA_VERSION
from clarity.types import Severity

GRADE_BANDS = ((6.0, "<=6"), (8.0, "6-8"), (10.0, "8-10"), (12.0, "10-12"), (14.0, "12-14"))


def grade_band(grade: float) -> str:
    for top, label in GRADE_BANDS:
        if grade <= top:
            return label
    return ">14"


@dataclass
class Summary:
    """Totals over a batch: bounded in size whatever the number of documents."""

    documents: int = 0
    unreadable: int = 0
    failing: int = 0
    words: int = 0
    grade_sum: float = 0.0
    graded: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    jargon: Counter[str] = field(default_factory=Counter)
    grades: Counter[str] = field(default_factory=Counter)
    tones: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def add(self, outcome: Outcome) -> None:
        if outcome.stats is None:
            self.unreadable += 1
            return
        s = outcome.stats
        self.documents += 1
        self.failing += outcome.status == 1
        self.words += s.words
        self.codes.update(s.codes)
        self.jargon.update(s.jargon)
        if s.words:
            self.graded += 1
            self.grade_sum += s.grade
            self.grades[grade_band(s.grade)] += 1
        if s.tone is not None:
            self.tones[s.tone] += 1

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def to_dict(self, top: int = 20) -> dict[str, Any]:
        data: dict[str, Any] = {
            "documents": self.documents,
            "unreadable": self.unreadable,
            "failing": self.failing,
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "findings": dict(sorted(self.codes.items(), key=lambda kv: (-kv[1], kv[0]))),
            "jargon": [{"term": t, "count": n} for t, n in self.jargon.most_common(top)],
            "grades": {label: self.grades[label] for _, label in GRADE_BANDS}
            | {">14": self.grades[">14"]},
            "mean_grade": round(self.grade_sum / self.graded, 2) if self.graded else None,
        }
        if self.tones:
            data["tone"] = dict(self.tones.most_common())
        return data

    def render(self, fail_on: Severity | None, top: int = 10) -> str:
        rate = self.words / self.seconds if self.seconds > 0 else 0.0
        gate = f", {self.failing:,} at or above {fail_on.value}" if fail_on is not None else ""
        lines = [
            f"Summary: {self.documents:,} draft{'s' * (self.documents != 1)} checked"
            f"{gate}, {self.unreadable:,} unreadable; {self.words:,} words in "
            f"{self.seconds:.1f} s ({rate:,.0f} words/s)"
        ]
        if self.codes:
            by_code = sorted(self.codes.items(), key=lambda kv: (-kv[1], kv[0]))
            lines.append("  findings: " + ", ".join(f"{c} {n:,}" for c, n in by_code))
        if self.jargon:
            terms = self.jargon.most_common(top)
            lines.append("  jargon:   " + ", ".join(f"“{t}” {n:,}" for t, n in terms))
        if self.graded:
            bands = [(label, self.grades[label]) for _, label in GRADE_BANDS]
            bands.append((">14", self.grades[">14"]))
            lines.append(
                f"  grade:    mean {self.grade_sum / self.graded:.1f}; "
                + ", ".join(f"{label}: {n:,}" for label, n in bands)
            )
        if self.tones:
            lines.append(
                "  tone:     " + ", ".join(f"{t} {n:,}" for t, n in self.tones.most_common())
            )
        return "\n".join(lines)


class Progress:
    """One line on standard error: a bar when the total is known, else a count."""

    def __init__(self, stream: IO[str], total: int | None) -> None:
        self.stream = stream
        self.total = total
        self.last = 0.0
        self.shown = False

    def update(self, summary: Summary, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        done = summary.documents + summary.unreadable
        rate = summary.words / max(summary.seconds, 1e-6)
        if self.total and done <= self.total:
            filled = int(24 * done / self.total)
            head = f"[{'#' * filled}{'-' * (24 - filled)}] {done:,}/{self.total:,}"
        else:
            head = f"{done:,} checked"
        self.stream.write(
            f"\r\x1b[K{head} · {summary.unreadable:,} unreadable · {rate:,.0f} words/s"
        )
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


class Writer:
    """Writes outcomes to standard output as they come, in the chosen format."""

    def __init__(self, out: IO[str], fmt: str) -> None:
        self.out = out
        self.fmt = fmt
        self.count = 0

    def write(self, outcome: Outcome) -> None:
        if not outcome.output:
            return
        if self.fmt == "jsonl":
            self.out.write(outcome.output + "\n")
            self.out.flush()
        elif self.fmt == "json":
            head = (
                f'{{\n  "schema_version": "{SCHEMA_VERSION}",\n  "results": [\n'
                if not self.count
                else ",\n"
            )
            self.out.write(head + textwrap.indent(outcome.output, "    "))
        else:
            self.out.write(("\n" if self.count else "") + outcome.output + "\n")
        self.count += 1

    def finish(self, summary: Summary, fail_on: Severity | None, show_summary: bool) -> None:
        if self.fmt == "jsonl":
            self.out.write(json.dumps({"summary": summary.to_dict()}, ensure_ascii=False) + "\n")
        elif self.fmt == "json":
            if not self.count:
                self.out.write(f'{{\n  "schema_version": "{SCHEMA_VERSION}",\n  "results": [')
            else:
                self.out.write("\n  ")
            body = json.dumps(summary.to_dict(), ensure_ascii=False, indent=2)
            self.out.write('],\n  "summary": ' + textwrap.indent(body, "  ").lstrip() + "\n}\n")
        elif show_summary:
            self.out.write(("\n" if self.count else "") + summary.render(fail_on) + "\n")
        self.out.flush()
