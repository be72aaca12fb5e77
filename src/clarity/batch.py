"""Checking many drafts: files, directories, CSV / JSON Lines batches, in worker processes.

The CLI's ``check`` command is a thin face over :func:`run_batch`:

1. :func:`iter_jobs` streams the inputs: paths as given, directories walked
   recursively (``include`` / ``exclude`` globs), each file read by
   :func:`clarity.sources.read` (a CSV or JSON Lines file one record at a time).
   Each draft is paired with the configuration found from its file.
2. :func:`check_stream` checks them in order. Up to two chunks' worth are checked in
   this process; a longer stream goes to ``jobs`` worker processes, each holding its
   own backend (:mod:`clarity.runner`), in chunks of ``chunk_size`` documents with at
   most ``4 * jobs`` chunks in flight, so memory stays bounded whatever the number of
   records. On Linux the workers are forked after the pipeline is loaded here, so they
   start at once and share its memory; elsewhere they are spawned and load their own.
3. Each worker renders its results (text, or JSON), so the parent only writes them
   out in order and adds them to the :class:`Summary`.

A document that cannot be read or checked becomes an error outcome naming its path
or row; the batch goes on and the exit code is 2.
"""

from __future__ import annotations

import fnmatch
import json
import multiprocessing
import os
import signal
import sys
import textwrap
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from clarity.client import ServiceUnreachable
from clarity.config import Config, load_config
from clarity.draft import Draft, clean_text
from clarity.errors import ClarityError
from clarity.render import SCHEMA_VERSION, render_text, result_dict
from clarity.runner import Backend, backend_for
from clarity.sources import BATCH_KINDS, EXTENSIONS, BadRecord, kind_for, read
from clarity.types import Report, Severity

FORMATS = ("text", "json", "jsonl")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class BatchOptions:
    """How to read, check and report a batch (the ``clarity check`` options)."""

    kind: str | None = None
    encoding: str | None = None
    column: str | None = None
    #: JSON / JSON Lines: the dotted path of the text (``--field``).
    field_name: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    #: Worker processes; None: the number of cores.
    jobs: int | None = None
    fmt: str = "text"
    colour: bool = False
    #: Outcomes with a finding at or above this severity exit 1; None: never.
    fail_on: Severity | None = Severity.WARNING
    #: No progress line, no text summary.
    quiet: bool = False
    #: Show progress on standard error; None: when it is a terminal (and not quiet).
    progress: bool | None = None
    config_file: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    chunk_size: int = 8
    #: The customer's message every draft replies to (``--reply-to``), if any.
    incoming: str | None = None
    #: A running ``clarity serve`` to check the drafts (``--server``); None: here.
    server: str | None = None


@dataclass(frozen=True)
class Job:
    """A draft and the settings to check it with (what a worker receives)."""

    draft: Draft
    config: Config


@dataclass(frozen=True)
class DocStats:
    """What the summary needs of one report."""

    words: int
    grade: float
    score: int
    codes: tuple[str, ...]
    jargon: tuple[str, ...]
    tone: str | None = None


@dataclass(frozen=True)
class Outcome:
    """One checked (or unreadable) document, rendered: what the parent writes out."""

    source: str
    output: str
    #: 0 passed, 1 a finding at or above ``fail_on``, 2 unreadable.
    status: int
    error: str | None = None
    stats: DocStats | None = None


# --- reading ----------------------------------------------------------------------


def _excluded(rel: str, patterns: Sequence[str]) -> bool:
    parts = Path(rel).parts
    return any(
        fnmatch.fnmatch(rel, p) or any(fnmatch.fnmatch(part, p) for part in parts) for p in patterns
    )


def iter_paths(
    paths: Iterable[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    kind: str | None = None,
) -> Iterator[str | BadRecord]:
    """``paths`` with directories walked recursively, in sorted order.

    In a directory, hidden files and folders are skipped; a file is taken when it
    matches an ``include`` glob (on its path relative to the directory, or its name),
    or, with no ``include``, when its extension is one clarity reads (any file with
    ``kind``); ``exclude`` globs drop files and whole folders. Named files are always
    taken.
    """
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            yield path
            continue
        found = False
        for dirpath, dirnames, filenames in os.walk(path):
            rel_dir = os.path.relpath(dirpath, path)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not d.startswith(".")
                and not _excluded(os.path.normpath(os.path.join(rel_dir, d)), exclude)
            )
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                rel = os.path.normpath(os.path.join(rel_dir, name))
                if include:
                    wanted = any(
                        fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in include
                    )
                else:
                    wanted = kind is not None or Path(name).suffix.lower() in EXTENSIONS
                if wanted and not _excluded(rel, exclude):
                    found = True
                    yield os.path.join(dirpath, name)
        if not found:
            yield BadRecord(path, "is a directory with no files to check (see --include)")


class _Configs:
    """The configuration for each file, found once per folder."""

    def __init__(self, config_file: Path | None, overrides: dict[str, Any]) -> None:
        self.config_file = config_file
        self.overrides = overrides
        self._cache: dict[str, Config | ClarityError] = {}

    def for_path(self, path: str) -> Config:
        if self.config_file is not None:
            key = "--config"
        else:
            key = str(Path(path).parent) if path != "-" else ""
        found = self._cache.get(key)
        if found is None:
            try:
                if self.config_file is not None:
                    found = load_config(file=self.config_file, **self.overrides)
                else:
                    start = Path(key) if key else Path.cwd()
                    found = load_config(start, **self.overrides)
            except ClarityError as exc:
                found = exc
            self._cache[key] = found
        if isinstance(found, ClarityError):
            raise found
        return found


def iter_jobs(paths: Iterable[str], options: BatchOptions) -> Iterator[Job | BadRecord]:
    """Every draft to check, with its configuration, streamed in input order."""
    configs = _Configs(options.config_file, options.overrides)
    for path in iter_paths(paths, options.include, options.exclude, options.kind):
        if isinstance(path, BadRecord):
            yield path
            continue
        source = "<stdin>" if path == "-" else path
        try:
            drafts = read(
                path,
                options.kind,
                encoding=options.encoding,
                column=options.column,
                field=options.field_name,
            )
            for draft in drafts:
                if isinstance(draft, BadRecord):
                    yield draft
                    continue
                if options.incoming is not None and draft.incoming is None:
                    draft = draft.replace(incoming=options.incoming)
                yield Job(draft, configs.for_path(path))
        except ClarityError as exc:
            yield BadRecord(source, str(exc).removeprefix(f"{source}: "))


# --- checking ---------------------------------------------------------------------


class _Worker:
    """Checks jobs and renders outcomes; one per process."""

    def __init__(
        self, fmt: str, colour: bool, fail_on: Severity | None, server: str | None = None
    ) -> None:
        self.fmt = fmt
        self.colour = colour
        self.fail_on = fail_on
        self.server = server
        self._backends: dict[str | None, Backend] = {}

    def backend(self, config: Config) -> Backend:
        """The backend for ``config`` (one per configuration file, kept)."""
        found = self._backends.get(config.origin)
        if found is None or found.config != config:
            found = self._backends[config.origin] = backend_for(config, self.server)
        return found

    def error(self, source: str, message: str) -> Outcome:
        if self.fmt == "text":
            output = ""
        else:
            output = _dumps({"source": source, "error": message}, self.fmt)
        return Outcome(source, output, 2, error=message)

    def run(self, item: Job | BadRecord) -> Outcome:
        if isinstance(item, BadRecord):
            return self.error(item.source, str(item))
        draft = item.draft
        source = draft.source or "<text>"
        try:
            report = self.backend(item.config).check(draft)
        except ServiceUnreachable:
            raise  # no draft can be checked: the batch stops (exit 2)
        except ClarityError as exc:
            return self.error(source, f"{source}: {exc}")
        except Exception as exc:  # a bug must not stop a batch of 100,000 records
            return self.error(
                source,
                f"{source}: internal error ({type(exc).__name__}: {exc}); please report it",
            )
        status = 1 if self.fail_on is not None and report.at_or_above(self.fail_on) else 0
        return Outcome(source, self.render(report, draft), status, stats=_stats(report))

    def render(self, report: Report, draft: Draft) -> str:
        source = draft.source or "<text>"
        if self.fmt == "text":
            return render_text(report, source, _style if self.colour else _plain)
        data = result_dict(report, source)
        data["meta"] = draft.meta
        return _dumps(data, self.fmt)


def _plain(text: str, **_: Any) -> str:
    return text


def _style(text: str, **kw: Any) -> str:
    import click

    return click.style(text, **kw)


def _dumps(data: dict[str, Any], fmt: str) -> str:
    """JSON text that any UTF-8 writer can write (lone surrogates from a record's
    metadata become U+FFFD rather than stop the output)."""
    if fmt == "jsonl":
        text = json.dumps(data, ensure_ascii=False, default=str)
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return clean_text(text)[0]


def _stats(report: Report) -> DocStats:
    found = (*report.subject_findings, *report.findings)
    jargon = tuple(" ".join(f.text.split()) for f in report.findings if f.code.startswith("J"))
    label = str(report.tone.label) if report.tone is not None else None
    return DocStats(
        words=report.readability.words,
        grade=report.readability.grade,
        score=report.score,
        codes=tuple(f.code for f in found),
        jargon=jargon,
        tone=label,
    )


_WORKER: _Worker | None = None


_WARM = Draft("Warm up.")


def _init_worker(fmt: str, colour: bool, fail_on: Severity | None, warm: Config | None) -> None:
    """Set up a worker process: its backend cache, and Ctrl-C left to the parent."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = _Worker(fmt, colour, fail_on)
    if warm is not None:
        _WORKER.backend(warm).check(_WARM)


def _run_chunk(chunk: list[Job | BadRecord]) -> list[Outcome]:
    assert _WORKER is not None, "worker not initialised"
    return [_WORKER.run(item) for item in chunk]


def _chunks(items: Iterator[Job | BadRecord], size: int) -> Iterator[list[Job | BadRecord]]:
    while True:
        chunk = list(islice(items, size))
        if not chunk:
            return
        yield chunk


def check_stream(items: Iterable[Job | BadRecord], options: BatchOptions) -> Iterator[Outcome]:
    """Outcomes of ``items``, in order; worker processes when there are enough items
    (never with ``--server``: the service has its own workers)."""
    jobs = options.jobs or default_jobs()
    size = max(1, options.chunk_size)
    it = iter(items)
    head = list(islice(it, 2 * size))
    if jobs <= 1 or len(head) < 2 * size or options.server:
        worker = _Worker(options.fmt, options.colour, options.fail_on, options.server)
        for item in chain(head, it):
            yield worker.run(item)
        return
    warm = next((t.config for t in head if isinstance(t, Job)), None)
    method = "fork" if sys.platform == "linux" else "spawn"
    if method == "fork" and warm is not None:
        # Load the pipeline once here: forked workers share it instead of loading their own.
        _Worker(options.fmt, options.colour, options.fail_on).backend(warm).check(_WARM)
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(options.fmt, options.colour, options.fail_on, warm if method != "fork" else None),
    )
    pending: deque[Future[list[Outcome]]] = deque()
    try:
        for chunk in _chunks(chain(head, it), size):
            pending.append(pool.submit(_run_chunk, chunk))
            while len(pending) >= 4 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)


# --- reporting --------------------------------------------------------------------

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


class _Progress:
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


class _Writer:
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


def _known_total(paths: Sequence[str], kind: str | None) -> int | None:
    """The number of documents when every path is one file of a one-draft kind."""
    for p in paths:
        if p == "-" or os.path.isdir(p) or kind_for(p, kind) in BATCH_KINDS | {"json"}:
            return None
    return len(paths)


def run_batch(
    paths: Sequence[str],
    options: BatchOptions,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    """Check ``paths`` and write the results; returns the exit code (0, 1 or 2)."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    if options.fmt not in FORMATS:
        raise ValueError(f"unknown format {options.fmt!r}")
    show_progress = options.progress
    if show_progress is None:
        show_progress = not options.quiet and _isatty(err)
    progress = _Progress(err, _known_total(paths, options.kind)) if show_progress else None
    writer = _Writer(out, options.fmt)
    summary = Summary()
    worst = 0
    try:
        for outcome in check_stream(iter_jobs(paths, options), options):
            if outcome.error is not None:
                if progress is not None:
                    progress.clear()
                err.write(f"clarity: error: {outcome.error}\n")
                err.flush()
            writer.write(outcome)
            summary.add(outcome)
            worst = max(worst, outcome.status)
            if progress is not None:
                progress.update(summary)
    except ClarityError as exc:  # the service cannot be reached, or refused a request
        if progress is not None:
            progress.clear()
        writer.finish(summary, options.fail_on, show_summary=False)
        err.write(f"clarity: error: {exc}\n")
        return 2
    except BrokenProcessPool:
        if progress is not None:
            progress.clear()
        err.write(
            "clarity: error: a worker process stopped unexpectedly (out of memory?) after "
            f"{summary.documents + summary.unreadable:,} drafts; try fewer --jobs\n"
        )
        return 2
    except KeyboardInterrupt:
        if progress is not None:
            progress.clear()
        err.write("clarity: interrupted\n")
        return 130
    if progress is not None:
        progress.clear()
    documents = summary.documents + summary.unreadable
    writer.finish(summary, options.fail_on, show_summary=documents > 1 and not options.quiet)
    return worst


def _isatty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
