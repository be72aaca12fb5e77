"""``clarity check``: drafts in, findings out (text, JSON, JSON Lines)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from clarity.cli import main
from clarity.cli.common import (
    ACCEPT,
    COLOUR,
    ENCODING,
    IGNORE,
    MODEL,
    SELECT,
    config_option,
    error,
    overrides_from,
    use_colour,
)
from clarity.config import AUDIENCES, DEFAULT_FAIL_ON, FAIL_ON, parse_fail_on
from clarity.errors import ClarityError
from clarity.inputs import stdin_is_terminal
from clarity.sources import KINDS


@main.command()
@click.argument("paths", nargs=-1, type=str)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="jsonl: one result per line as it goes, then a summary line.",
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="How to read the inputs (default: by extension); plain: no region detection.",
)
@click.option("--column", help="CSV: the column holding the draft (default: body, text...).")
@click.option("--field", help="JSON / JSON Lines: the field holding the draft (dotted path).")
@click.option("--include", multiple=True, help="In folders: only files matching this glob.")
@click.option("--exclude", multiple=True, help="In folders: skip files or folders matching this.")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per core)."
)
@click.option("-q", "--quiet", is_flag=True, help="No progress line and no summary on a batch.")
@click.option("--audience", type=click.Choice(sorted(AUDIENCES)), help="Who reads the message.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=DEFAULT_FAIL_ON.value,
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@SELECT
@IGNORE
@ACCEPT
@click.option("--target-grade", type=float, help="Grade level the message should not exceed.")
@click.option("--max-sentence-words", type=click.IntRange(min=1), help="Longest sentence.")
@MODEL
@ENCODING
@config_option()
@COLOUR
@click.option(
    "--reply-to",
    "reply_to",
    metavar="FILE",
    help="The customer's message the drafts reply to: checks that an upset customer is "
    "acknowledged and their questions answered.",
)
@click.option(
    "--fix", "apply_fix", is_flag=True, help="Apply safe fixes in place (= clarity fix --write)."
)
@click.option(
    "--unsafe", is_flag=True, help="With --fix: also apply fixes that may shift the meaning."
)
@click.option(
    "--server",
    envvar="CLARITY_SERVER",
    metavar="URL",
    help="Send the drafts to a running `clarity serve` (env CLARITY_SERVER; '' for local).",
)
def check(
    paths: tuple[str, ...],
    fmt: str,
    kind: str | None,
    column: str | None,
    field: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    jobs: int | None,
    quiet: bool,
    audience: str | None,
    fail_on: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    accept: tuple[str, ...],
    target_grade: float | None,
    max_sentence_words: int | None,
    model: str | None,
    encoding: str | None,
    config_file: Path | None,
    color: bool | None,
    reply_to: str | None,
    apply_fix: bool,
    unsafe: bool,
    server: str | None,
) -> None:
    """Check drafts: files, folders, e-mails (.eml), HTML, tickets (.json), batches
    (.csv, .jsonl), or - for standard input."""
    if not paths:
        if stdin_is_terminal():
            raise click.UsageError("name files to check, or - to read standard input")
        paths = ("-",)
    if unsafe and not apply_fix:
        raise click.UsageError("--unsafe goes with --fix")
    if apply_fix:
        if "-" in paths:
            raise click.UsageError("--fix rewrites files in place; it cannot fix standard input")
        fix_overrides = overrides_from(audience, select, ignore, accept, model)
        from clarity.cli.fix import run_fix

        sys.exit(
            run_fix(
                paths,
                fix_overrides,
                config_file,
                encoding,
                unsafe=unsafe,
                mode="write",
                fail_on=fail_on,
                colour=use_colour(sys.stdout, color),
            )
        )
    overrides = overrides_from(
        audience,
        select,
        ignore,
        accept,
        model,
        target_grade=target_grade,
        max_sentence_words=max_sentence_words,
    )
    from clarity.batch import BatchOptions, run_batch

    options = BatchOptions(
        kind=kind,
        encoding=encoding,
        column=column,
        field_name=field,
        include=include,
        exclude=exclude,
        jobs=jobs,
        fmt=fmt,
        colour=use_colour(sys.stdout, color),
        fail_on=parse_fail_on(fail_on),
        quiet=quiet,
        config_file=config_file,
        overrides=overrides,
        incoming=_read_incoming(reply_to, encoding),
        server=server or None,
    )
    sys.exit(run_batch(paths, options))


def _read_incoming(path: str | None, encoding: str | None) -> str | None:
    """The text of ``--reply-to``: a file (an ``.eml`` is read as an e-mail). The
    engine leaves its quoted history and signature out."""
    if path is None:
        return None
    from clarity.sources import read_one

    try:
        return read_one(path, encoding=encoding).text
    except ClarityError as exc:
        error(f"--reply-to: {exc}")
        sys.exit(2)
