"""``clarity fix``: apply fixes and write only the drafts back."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from clarity.cli import main
from clarity.cli.common import (
    ACCEPT,
    COLOUR,
    ENCODING,
    IGNORE,
    MODEL,
    SELECT,
    config_for,
    config_option,
    error,
    overrides_from,
    use_colour,
)
from clarity.config import AUDIENCES, DEFAULT_FAIL_ON, FAIL_ON, parse_fail_on
from clarity.draft import Draft
from clarity.errors import ClarityError, InputError
from clarity.inputs import encoding_of, stdin_is_terminal
from clarity.runner import FixOutcome
from clarity.sources.document import BadRecord
from clarity.types import Severity


@main.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--diff", is_flag=True, help="Print a unified diff instead of the rewritten text.")
@click.option("--write", is_flag=True, help="Rewrite the files in place.")
@click.option("--unsafe", is_flag=True, help="Also apply fixes that may shift the meaning.")
@click.option("--audience", type=click.Choice(sorted(AUDIENCES)), help="Who reads the message.")
@SELECT
@IGNORE
@ACCEPT
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=DEFAULT_FAIL_ON.value,
    show_default=True,
    help="Exit 1 when a finding at or above this severity remains after fixing.",
)
@MODEL
@ENCODING
@config_option()
@COLOUR
def fix(
    paths: tuple[str, ...],
    diff: bool,
    write: bool,
    unsafe: bool,
    audience: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    accept: tuple[str, ...],
    fail_on: str,
    model: str | None,
    encoding: str | None,
    config_file: Path | None,
    color: bool | None,
) -> None:
    """Apply clarity's fixes: print the rewritten text, a diff, or rewrite in place.

    Safe fixes (meaning kept) are applied; --unsafe adds those that may shift the
    meaning (jargon replaced, acronyms spelled out). Exit 0 when nothing needed
    fixing, 1 when something was fixed or a finding remains, 2 on errors.
    """
    if not paths:
        if stdin_is_terminal():
            raise click.UsageError("name a file to fix, or - to read standard input")
        paths = ("-",)
    if diff and write:
        raise click.UsageError("--diff and --write do not go together")
    if write and "-" in paths:
        raise click.UsageError("--write cannot rewrite standard input; leave it out")
    if not (diff or write) and len(paths) > 1:
        raise click.UsageError("name one file, or use --diff or --write for several")
    overrides = overrides_from(audience, select, ignore, accept, model)
    exit_code = run_fix(
        paths,
        overrides,
        config_file,
        encoding,
        unsafe=unsafe,
        mode="diff" if diff else "write" if write else "print",
        fail_on=fail_on,
        colour=use_colour(sys.stdout, color),
    )
    sys.exit(exit_code)


def run_fix(
    paths: Sequence[str],
    overrides: dict[str, Any],
    config_file: Path | None,
    encoding: str | None,
    *,
    unsafe: bool,
    mode: str,
    fail_on: str,
    colour: bool,
) -> int:
    """Fix each path; ``mode`` is ``print``, ``diff`` or ``write``. Returns the exit code.

    A file is read as ``clarity check`` reads it and only its drafts are edited: the
    body of an e-mail, the draft field of a ticket, the column of a CSV file. Quoted
    history, signatures and code are never edited."""
    from clarity.render.diff import unified_diff
    from clarity.runner import LocalBackend
    from clarity.sources import read

    worst = 0
    threshold = parse_fail_on(fail_on)
    for path in paths:
        try:
            original = _read_file(path)
            fixed = []
            for draft in read(path if path != "-" else original, encoding=encoding):
                if isinstance(draft, BadRecord):
                    raise InputError(f"{draft}; nothing was written")
                backend = LocalBackend(config_for(draft, config_file, overrides))
                fixed.append((draft, backend.fix(draft, unsafe=unsafe)))
            new, notes = _fixed_file(path, original, fixed, encoding)
            if mode == "write" and new != original:
                _replace_file(Path(path), new)
            for note in notes:
                click.echo(f"clarity: note: {note}", err=True)
        except ClarityError as exc:
            error(str(exc))
            worst = 2
            continue
        for draft, outcome in fixed:
            if not outcome.complete:
                click.echo(
                    f"clarity: note: {draft.source or path}: stopped after the last pass with"
                    " fixes still to apply (each fix let another be made); run clarity fix again",
                    err=True,
                )
        whole = len(fixed) == 1 and fixed[0][0].meta.get("kind") in ("text", "plain", "markdown")
        if mode == "print" and whole:
            # The file as it would be written: its own line endings kept.
            click.echo(new.decode(encoding_of(original, encoding)).removeprefix("\ufeff"), nl=False)
            worst = max(worst, _fix_status(fixed, threshold))
            continue
        for draft, outcome in fixed:
            source = draft.source or path
            worst = max(worst, _fix_status([(draft, outcome)], threshold))
            if mode == "print":
                click.echo(outcome.text, nl=False)
            elif mode == "diff":
                click.echo(
                    unified_diff(draft.text, outcome.text, source, colour), nl=False, color=colour
                )
            else:
                n = outcome.applied
                state = (
                    f"fixed {n} finding{'s' * (n != 1)}" if outcome.changed else "nothing to fix"
                )
                left = len(outcome.report.findings)
                click.echo(f"{source}: {state}; {left} finding{'s' * (left != 1)} remain", err=True)
    return worst


def _fix_status(fixed: Sequence[tuple[Draft, FixOutcome]], threshold: Severity | None) -> int:
    """1 when something was fixed or a finding at or above ``threshold`` remains."""
    for _, outcome in fixed:
        if outcome.changed or (threshold is not None and outcome.report.at_or_above(threshold)):
            return 1
    return 0


def _read_file(path: str) -> bytes:
    from clarity.inputs import read_bytes, read_stream

    if path == "-":
        return read_stream(sys.stdin.buffer)
    return read_bytes(path)[0]


def _fixed_file(
    path: str,
    original: bytes,
    fixed: Sequence[tuple[Draft, FixOutcome]],
    encoding: str | None,
) -> tuple[bytes, list[str]]:
    """The bytes of ``path`` with each changed draft replaced (nothing else touched),
    and notes on what was left alone (an e-mail's HTML version...)."""
    from clarity.sources.writeback import Locator, replace_draft

    data = original
    notes: list[str] = []
    for draft, outcome in fixed:
        if not outcome.changed:
            continue
        done = replace_draft(
            data,
            str(draft.meta.get("kind", "text")),
            outcome.text,
            locator=Locator.for_draft(draft, encoding=encoding),
            source=draft.source or path,
            old_text=draft.text,
        )
        data = done.data
        notes.extend(done.notes)
    return data, notes


def _replace_file(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically with ``data``."""
    tmp = path.with_name(f".{path.name}.clarity-tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
