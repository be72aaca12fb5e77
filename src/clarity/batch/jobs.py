"""What a batch checks: paths walked, files read as drafts, each with its settings."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clarity.config import Config, load_config
from clarity.draft import Draft
from clarity.errors import ClarityError
from clarity.sources import EXTENSIONS, BadRecord, read
from clarity.types import Severity

FORMATS = ("text", "json", "jsonl")


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
