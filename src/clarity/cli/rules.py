"""``clarity rules``: the rules and their documentation."""

from __future__ import annotations

import sys

import click

from clarity.cli import main
from clarity.cli.common import error


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
    from clarity.rules import all_rules, find_rule  # here: other commands never load the rules

    if fmt == "markdown":
        from clarity.render.docs import rules_markdown

        click.echo(rules_markdown(), nl=False)
        return
    if code is None:
        width = max(len(r.name) for r in all_rules())
        for r in all_rules():
            click.echo(
                f"{r.code}  {r.name:<{width}}  {r.category.value:<11} {r.severity.value:<7}  "
                f"{r.summary}{' (off unless selected)' if r.opt_in else ''}"
            )
        return
    found = find_rule(code)
    if found is None:
        error(f"no rule {code!r}; `clarity rules` lists them")
        sys.exit(2)
    off = ", off unless selected" if found.opt_in else ""
    click.echo(f"{found.code} {found.name} ({found.category.value}, {found.severity.value}{off})\n")
    click.echo(found.doc)
