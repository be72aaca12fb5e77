"""What the commands share: colour, option lists, one-line errors, configuration."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from clarity.config import Config, check_options, load_config
from clarity.draft import Draft
from clarity.errors import ClarityError


def use_colour(stream: Any, force: bool | None) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if force is not None:
        return force
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def split(values: Sequence[str]) -> tuple[str, ...] | None:
    out = tuple(v.strip() for item in values for v in item.split(",") if v.strip())
    return out or None


def error(message: str) -> None:
    click.echo(f"clarity: error: {message}", err=True)


def validate_options(overrides: dict[str, Any]) -> None:
    """Refuse a bad option (``--select J01``) once, before any input is read."""
    try:
        check_options(overrides)
    except ClarityError as exc:
        error(str(exc))
        sys.exit(2)


def overrides_from(
    audience: str | None,
    select: Sequence[str],
    ignore: Sequence[str],
    accept: Sequence[str],
    model: str | None,
    **more: Any,
) -> dict[str, Any]:
    """The settings the shared options give (``--audience``, ``--select``, ``--ignore``,
    ``--accept``, ``--model``, plus a command's own ``more``), checked once: a bad one
    is one line and exit 2 before any input is read."""
    overrides: dict[str, Any] = {
        "audience": audience,
        "select": split(select),
        "ignore": split(ignore),
        "accept": split(accept),
        **more,
        "model": model,
    }
    validate_options(overrides)
    return overrides


def config_for(draft: Draft, config_file: Path | None, overrides: dict[str, Any]) -> Config:
    """The configuration for ``draft``: ``--config``, or the one found from its folder."""
    if config_file is not None:
        return load_config(file=config_file, **overrides)
    path = draft.meta.get("path")
    start = Path(path).parent if path else Path.cwd()
    return load_config(start, **overrides)


F = TypeVar("F", bound=Callable[..., Any])


# --- options several commands share -----------------------------------------------

#: ``--select`` / ``--ignore`` / ``--accept``: which rules, and words a team allows.
SELECT = click.option(
    "--select", multiple=True, help="Only these rule codes or prefixes (repeatable)."
)
IGNORE = click.option(
    "--ignore", multiple=True, help="Skip these rule codes or prefixes (repeatable)."
)
ACCEPT = click.option(
    "--accept", multiple=True, help="Words or terms your team allows (repeatable)."
)
MODEL = click.option("--model", help="spaCy pipeline to use (name or path).")
ENCODING = click.option("--encoding", help="Encoding of the input files (default UTF-8).")
COLOUR = click.option(
    "--color/--no-color", default=None, help="Colour (default: on a terminal only)."
)


def config_option(what: str = "settings") -> Callable[[F], F]:
    """``--config FILE``: read ``what`` from this file instead of searching for one."""
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Read {what} from this clarity.toml or pyproject.toml instead of searching.",
    )
