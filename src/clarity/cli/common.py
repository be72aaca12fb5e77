"""What the commands share: colour, option lists, one-line errors, configuration."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


def config_for(draft: Draft, config_file: Path | None, overrides: dict[str, Any]) -> Config:
    """The configuration for ``draft``: ``--config``, or the one found from its folder."""
    if config_file is not None:
        return load_config(file=config_file, **overrides)
    path = draft.meta.get("path")
    start = Path(path).parent if path else Path.cwd()
    return load_config(start, **overrides)
