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

import os
import sys
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import IO

from clarity.batch.jobs import FORMATS, BatchOptions, Job, iter_jobs, iter_paths
from clarity.batch.report import GRADE_BANDS, Progress, Summary, Writer, grade_band
from clarity.batch.workers import DocStats, Outcome, check_stream, default_jobs
from clarity.errors import ClarityError
from clarity.sources import BATCH_KINDS, kind_for

__all__ = [
    "FORMATS",
    "GRADE_BANDS",
    "BatchOptions",
    "DocStats",
    "Job",
    "Outcome",
    "Summary",
    "check_stream",
    "default_jobs",
    "grade_band",
    "iter_jobs",
    "iter_paths",
    "run_batch",
]


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
    progress = Progress(err, _known_total(paths, options.kind)) if show_progress else None
    writer = Writer(out, options.fmt)
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
