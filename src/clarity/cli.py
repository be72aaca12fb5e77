"""The ``clarity`` command: a thin face over :class:`clarity.engine.Checker`.

Exit codes: 0 nothing at or above ``--fail-on``; 1 something is; 2 a usage or input
error (one clear line on standard error, never a traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from clarity.__about__ import __version__
from clarity.config import (
    AUDIENCES,
    DEFAULT_FAIL_ON,
    FAIL_ON,
    Config,
    check_options,
    load_config,
    parse_fail_on,
)
from clarity.draft import Draft
from clarity.errors import ClarityError, InputError
from clarity.inputs import encoding_of, stdin_is_terminal
from clarity.rules import all_rules, find_rule
from clarity.runner import FixOutcome
from clarity.sources import KINDS
from clarity.sources.document import BadRecord
from clarity.types import Severity


def _use_colour(stream: Any, force: bool | None) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if force is not None:
        return force
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _split(values: Sequence[str]) -> tuple[str, ...] | None:
    out = tuple(v.strip() for item in values for v in item.split(",") if v.strip())
    return out or None


def _error(message: str) -> None:
    click.echo(f"clarity: error: {message}", err=True)


def _check_options(overrides: dict[str, Any]) -> None:
    """Refuse a bad option (``--select J01``) once, before any input is read."""
    try:
        check_options(overrides)
    except ClarityError as exc:
        _error(str(exc))
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clarity")
def main() -> None:
    """Plain-language checks for help-desk replies: jargon, readability, wordiness."""


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
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes (repeatable).")
@click.option("--accept", multiple=True, help="Words or terms your team allows (repeatable).")
@click.option("--target-grade", type=float, help="Grade level the message should not exceed.")
@click.option("--max-sentence-words", type=click.IntRange(min=1), help="Longest sentence.")
@click.option("--model", help="spaCy pipeline to use (name or path).")
@click.option("--encoding", help="Encoding of the input files (default UTF-8).")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read settings from this clarity.toml or pyproject.toml instead of searching.",
)
@click.option("--color/--no-color", default=None, help="Colour (default: on a terminal only).")
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
        fix_overrides: dict[str, Any] = {
            "audience": audience,
            "select": _split(select),
            "ignore": _split(ignore),
            "accept": _split(accept),
            "model": model,
        }
        _check_options(fix_overrides)
        sys.exit(
            run_fix(
                paths,
                fix_overrides,
                config_file,
                encoding,
                unsafe=unsafe,
                mode="write",
                fail_on=fail_on,
                colour=_use_colour(sys.stdout, color),
            )
        )
    overrides: dict[str, Any] = {
        "audience": audience,
        "select": _split(select),
        "ignore": _split(ignore),
        "accept": _split(accept),
        "target_grade": target_grade,
        "max_sentence_words": max_sentence_words,
        "model": model,
    }
    _check_options(overrides)
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
        colour=_use_colour(sys.stdout, color),
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
        _error(f"--reply-to: {exc}")
        sys.exit(2)


def _config_for(draft: Draft, config_file: Path | None, overrides: dict[str, Any]) -> Config:
    if config_file is not None:
        return load_config(file=config_file, **overrides)
    path = draft.meta.get("path")
    start = Path(path).parent if path else Path.cwd()
    return load_config(start, **overrides)


@main.command()
@click.argument("code", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: every rule's documentation (how docs/rules.md is made).",
)
def rules(code: str | None, fmt: str) -> None:
    """List the rules, or print one rule's documentation."""
    if fmt == "markdown":
        from clarity.render.docs import rules_markdown

        click.echo(rules_markdown(), nl=False)
        return
    if code is None:
        width = max(len(r.name) for r in all_rules())
        for r in all_rules():
            click.echo(
                f"{r.code}  {r.name:<{width}}  {r.category.value:<11} {r.severity.value:<7}  "
                f"{r.summary}"
            )
        return
    found = find_rule(code)
    if found is None:
        _error(f"no rule {code!r}; `clarity rules` lists them")
        sys.exit(2)
    click.echo(f"{found.code} {found.name} ({found.category.value}, {found.severity.value})\n")
    click.echo(found.doc)


@main.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--diff", is_flag=True, help="Print a unified diff instead of the rewritten text.")
@click.option("--write", is_flag=True, help="Rewrite the files in place.")
@click.option("--unsafe", is_flag=True, help="Also apply fixes that may shift the meaning.")
@click.option("--audience", type=click.Choice(sorted(AUDIENCES)), help="Who reads the message.")
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes (repeatable).")
@click.option("--accept", multiple=True, help="Words or terms your team allows (repeatable).")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=DEFAULT_FAIL_ON.value,
    show_default=True,
    help="Exit 1 when a finding at or above this severity remains after fixing.",
)
@click.option("--model", help="spaCy pipeline to use (name or path).")
@click.option("--encoding", help="Encoding of the input files (default UTF-8).")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read settings from this file instead of searching.",
)
@click.option("--color/--no-color", default=None, help="Colour (default: on a terminal only).")
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
    overrides: dict[str, Any] = {
        "audience": audience,
        "select": _split(select),
        "ignore": _split(ignore),
        "accept": _split(accept),
        "model": model,
    }
    _check_options(overrides)
    exit_code = run_fix(
        paths,
        overrides,
        config_file,
        encoding,
        unsafe=unsafe,
        mode="diff" if diff else "write" if write else "print",
        fail_on=fail_on,
        colour=_use_colour(sys.stdout, color),
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
                backend = LocalBackend(_config_for(draft, config_file, overrides))
                fixed.append((draft, backend.fix(draft, unsafe=unsafe)))
            new, notes = _fixed_file(path, original, fixed, encoding)
            if mode == "write" and new != original:
                _replace_file(Path(path), new)
            for note in notes:
                click.echo(f"clarity: note: {note}", err=True)
        except ClarityError as exc:
            _error(str(exc))
            worst = 2
            continue
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


@main.command()
@click.argument("path", required=False, default="-")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--kind",
    type=click.Choice(["auto", "text", "eml", "json"]),
    default="auto",
    show_default=True,
    help='auto: JSON when it starts with "{", an e-mail when it starts with headers, else text.',
)
@click.option("--encoding", help="Encoding of the input (default UTF-8, or as its BOM says).")
@click.option("--audience", type=click.Choice(sorted(AUDIENCES)), help="Who reads the message.")
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON), help="Block on findings at or above this severity."
)
@click.option("--max-grade", type=float, help="Block above this reading grade.")
@click.option(
    "--min-politeness", type=click.FloatRange(0, 1), help="Block below this politeness (0-1)."
)
@click.option("--max-jargon", type=click.IntRange(min=0), help="Block above this many terms.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read settings and [presend] policy from this file instead of searching.",
)
@click.option(
    "--server",
    envvar="CLARITY_SERVER",
    metavar="URL",
    help="Ask a running `clarity serve` (env CLARITY_SERVER; '' for local).",
)
def hook(
    path: str,
    fmt: str,
    kind: str,
    encoding: str | None,
    audience: str | None,
    fail_on: str | None,
    max_grade: float | None,
    min_politeness: float | None,
    max_jargon: int | None,
    config_file: Path | None,
    server: str | None,
) -> None:
    """Pre-send gate: judge one draft (standard input, or PATH) by the [presend] policy.

    The draft is text, an e-mail message, or JSON {"text": ..., "incoming": ...,
    "audience": ...}. Exit 0 to send, 1 to hold it, 2 when it cannot be read.
    """
    from clarity.hook import HookOptions, run_hook

    policy = {
        k: v
        for k, v in {
            "fail_on": fail_on,
            "max_grade": max_grade,
            "min_politeness": min_politeness,
            "max_jargon": max_jargon,
        }.items()
        if v is not None
    }
    options = HookOptions(
        fmt=fmt,
        kind=kind,
        audience=audience,
        policy=policy,
        config_file=config_file,
        server=server or None,
        encoding=encoding,
    )
    if path == "-":
        if stdin_is_terminal():
            raise click.UsageError("pipe a draft to standard input, or name a file")
        sys.exit(run_hook(sys.stdin.buffer, options))
    import io

    from clarity.inputs import read_bytes

    try:
        data, _, _ = read_bytes(path)
    except ClarityError as exc:
        _error(str(exc))
        sys.exit(2)
    sys.exit(run_hook(io.BytesIO(data), options, source=path))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option(
    "--max-body",
    type=click.IntRange(min=1),
    default=1024 * 1024,
    show_default=True,
    help="Largest request body, in bytes (413 beyond).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Time limit of one check, in seconds (503 beyond).",
)
@click.option(
    "--allow-host",
    multiple=True,
    help="Also answer requests for this Host name (repeatable; loopback names always).",
)
@click.option("--audience", type=click.Choice(sorted(AUDIENCES)), help="Default audience.")
@click.option("--model", help="spaCy pipeline to use (name or path).")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read settings and [presend] policy from this file instead of searching.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes, each with its own pipeline (about one per core).",
)
def serve(
    host: str,
    port: int,
    max_body: int,
    timeout: float,
    allow_host: tuple[str, ...],
    audience: str | None,
    model: str | None,
    config_file: Path | None,
    log_level: str,
    workers: int,
) -> None:
    """Run the HTTP service and its page (needs: pip install "clarity[server]").

    Listens on 127.0.0.1 unless --host says otherwise. Set CLARITY_TOKEN to require
    `Authorization: Bearer <token>` on every /v1/ call.
    """
    try:
        from clarity.server.run import serve as run_server
    except ImportError as exc:
        _error(f'clarity serve needs the server extra: pip install "clarity[server]" ({exc})')
        sys.exit(2)
    from clarity.presend import load_policy

    try:
        config = load_config(file=config_file, audience=audience, model=model)
        policy = load_policy(file=config_file)
    except ClarityError as exc:
        _error(str(exc))
        sys.exit(2)
    run_server(
        host=host,
        port=port,
        config=config,
        policy=policy,
        token=os.environ.get("CLARITY_TOKEN") or None,
        max_body=max_body,
        timeout=timeout,
        allow_hosts=allow_host,
        log_level=log_level,
        workers=workers,
        config_file=config_file,
        overrides={"audience": audience, "model": model},
    )


def run() -> None:
    """The console entry point: :func:`main`, with a last line of defence so that a
    bug still ends in one line and exit 2, never a traceback."""
    try:
        main()
    except KeyboardInterrupt:
        click.echo("clarity: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        _error(f"internal error ({type(exc).__name__}); please report it")
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    run()
