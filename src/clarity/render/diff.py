"""Unified diffs of rewritten text, coloured on a terminal."""

from __future__ import annotations

import difflib

import click


def unified_diff(before: str, after: str, source: str, colour: bool = False) -> str:
    """``diff -u`` of two versions of one text ("" when they are equal)."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=source if source.startswith(("/", "<")) else f"a/{source}",
        tofile=source if source.startswith(("/", "<")) else f"b/{source}",
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        if colour:
            if line.startswith(("+++", "---")):
                line = click.style(line, bold=True)
            elif line.startswith("+"):
                line = click.style(line, fg="green")
            elif line.startswith("-"):
                line = click.style(line, fg="red")
            elif line.startswith("@@"):
                line = click.style(line, fg="cyan")
        out.append(line)
    return "".join(out)
