"""Checking a batch: one backend per configuration, in worker processes when the
stream is long enough; each worker renders its outcomes."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from clarity.batch.jobs import BatchOptions, Job
from clarity.client import ServiceUnreachable
from clarity.config import Config
from clarity.draft import Draft, clean_text
from clarity.errors import ClarityError
from clarity.render import render_text, result_dict
from clarity.runner import Backend, backend_for
from clarity.sources import BadRecord
from clarity.types import Report, Severity


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


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
