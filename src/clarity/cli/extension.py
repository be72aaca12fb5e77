"""``clarity extension``: write the browser extension with a team's defaults."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from clarity.cli import main
from clarity.cli.common import error
from clarity.config import AUDIENCES
from clarity.errors import ClarityError


@main.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the unpacked extension into (new, empty, or an earlier one).",
)
@click.option(
    "--server",
    default="http://127.0.0.1:8765",
    show_default=True,
    help="Address of the clarity service the extension calls.",
)
@click.option(
    "--token",
    envvar="CLARITY_TOKEN",
    default="",
    help="The service's token, baked in (default: CLARITY_TOKEN). Anyone with the "
    "extension's files can read it.",
)
@click.option(
    "--site",
    "sites",
    multiple=True,
    help="Run on this site, a Chrome match pattern such as https://*.zendesk.com/* "
    "(repeatable; no site: users add theirs on the options page).",
)
@click.option("--audience", type=click.Choice(sorted(AUDIENCES)), help="Who reads the replies.")
@click.option("--zip", "make_zip", is_flag=True, help="Also pack it as OUT.zip for a store.")
def extension(
    out: Path,
    server: str,
    token: str,
    sites: tuple[str, ...],
    audience: str | None,
    make_zip: bool,
) -> None:
    """Write the Chromium extension (Chrome, Edge) that checks replies in the help desk.

    Load the folder with "Load unpacked" on chrome://extensions (or edge://extensions),
    or roll it out by policy; see docs/extension.md.
    """
    from clarity.extension import write, zip_folder

    try:
        folder = write(out, server=server, token=token, sites=sites, audience=audience or "")
        packed = zip_folder(folder) if make_zip else None
    except ClarityError as exc:
        error(str(exc))
        sys.exit(2)
    click.echo(f"clarity: wrote the extension to {folder}")
    if packed is not None:
        click.echo(f"clarity: packed it as {packed}")
    if not sites:
        click.echo("clarity: no --site given; add sites on the extension's options page")
