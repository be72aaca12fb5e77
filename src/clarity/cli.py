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
from clarity.config import AUDIENCES, Config, load_config
from clarity.errors import ClarityError, InputError
from clarity.inputs import Draft, read_draft, stdin_is_terminal
from clarity.render import render_json, render_text, result_dict
from clarity.rules import all_rules, find_rule
from clarity.types import Severity

FAIL_ON = ("info", "warning", "error", "never")


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clarity")
def main() -> None:
    """Plain-language checks for help-desk replies: jargon, readability, wordiness."""


@main.command()
@click.argument("paths", nargs=-1, type=str)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--audience", type=click.Choice(sorted(AUDIENCES)), help="Who reads the message.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="warning",
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
def check(
    paths: tuple[str, ...],
    fmt: str,
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
) -> None:
    """Check drafts: files, or - for standard input."""
    if not paths:
        if stdin_is_terminal():
            raise click.UsageError("name files to check, or - to read standard input")
        paths = ("-",)
    overrides: dict[str, Any] = {
        "audience": audience,
        "select": _split(select),
        "ignore": _split(ignore),
        "accept": _split(accept),
        "target_grade": target_grade,
        "max_sentence_words": max_sentence_words,
        "model": model,
    }
    from clarity.engine import Checker

    checkers: dict[str | None, Checker] = {}
    results: list[dict[str, Any]] = []
    worst = 0
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    colour = _use_colour(sys.stdout, color)

    def style(text: str, **kw: Any) -> str:
        return click.style(text, **kw) if colour else text

    blocks: list[str] = []
    for path in paths:
        try:
            draft = read_draft(path, encoding)
            config = _config_for(draft, config_file, overrides)
            checker = checkers.get(config.origin)
            if checker is None or checker.config != config:
                checker = checkers[config.origin] = Checker(config)
            report = checker.check(draft.text, source=draft.source)
        except ClarityError as exc:
            _error(str(exc))
            results.append({"source": "<stdin>" if path == "-" else path, "error": str(exc)})
            worst = 2
            continue
        if threshold is not None and report.at_or_above(threshold):
            worst = max(worst, 1)
        if fmt == "json":
            results.append(result_dict(report, draft.source))
        else:
            blocks.append(render_text(report, draft.source, style))
    if fmt == "json":
        click.echo(render_json(results))
    elif blocks:
        click.echo("\n\n".join(blocks), color=colour)
    sys.exit(worst)


def _config_for(draft: Draft, config_file: Path | None, overrides: dict[str, Any]) -> Config:
    if config_file is not None:
        return load_config(file=config_file, **overrides)
    start = draft.path.parent if draft.path is not None else Path.cwd()
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
    default="warning",
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
    """Fix each path; ``mode`` is ``print``, ``diff`` or ``write``. Returns the exit code."""
    from clarity.engine import Checker
    from clarity.render.diff import unified_diff

    worst = 0
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    for path in paths:
        try:
            draft = read_draft(path, encoding)
            checker = Checker(_config_for(draft, config_file, overrides))
            result = checker.fix(draft.text, unsafe=unsafe)
            if mode == "write" and result.changed:
                assert draft.path is not None
                _write_back(draft.path, result.text, draft.encoding)
        except ClarityError as exc:
            _error(str(exc))
            worst = 2
            continue
        remaining = threshold is not None and bool(result.report.at_or_above(threshold))
        if result.changed or remaining:
            worst = max(worst, 1)
        if mode == "print":
            click.echo(result.text, nl=False)
        elif mode == "diff":
            click.echo(
                unified_diff(draft.text, result.text, draft.source, colour), nl=False, color=colour
            )
        else:
            n = len(result.applied)
            state = f"fixed {n} finding{'s' * (n != 1)}" if result.changed else "nothing to fix"
            left = len(result.report.findings)
            click.echo(
                f"{draft.source}: {state}; {left} finding{'s' * (left != 1)} remain", err=True
            )
    return worst


def _write_back(path: Path, text: str, encoding: str) -> None:
    """Replace ``path`` atomically with ``text`` in its original encoding."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise InputError(f"{path}: the fixed text cannot be written as {encoding}: {exc}") from None
    tmp = path.with_name(f".{path.name}.clarity-tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def run() -> None:  # pragma: no cover - console entry point wrapper
    main()


if __name__ == "__main__":  # pragma: no cover
    main()
