"""The ``clarity`` command: thin faces over :func:`clarity.sources.read` and
:mod:`clarity.runner`: each command parses its options, reads, and renders.

Exit codes: 0 nothing at or above ``--fail-on``; 1 something is; 2 a usage or input
error (one clear line on standard error, never a traceback).
"""

import atexit
import gc
import sys

import click

from clarity.__about__ import __version__
from clarity.cli.common import error

__all__ = ["main", "run"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clarity")
def main() -> None:
    """Plain-language checks for help-desk replies: jargon, readability, wordiness."""


def run() -> None:
    """The console entry point: :func:`main`, with a last line of defence so that a
    bug still ends in one line and exit 2, never a traceback."""
    # A command runs once and exits. At exit, after the other exit handlers (files are
    # closed by then, pools shut down, output flushed by the interpreter), the
    # objects made so far are frozen: the interpreter's last garbage collection would
    # otherwise walk all of them (the pipeline, the word lists: about a quarter of a
    # cold `clarity check`) only to free memory the operating system takes back anyway.
    atexit.register(gc.freeze)
    try:
        main()
    except KeyboardInterrupt:
        click.echo("clarity: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        error(f"internal error ({type(exc).__name__}); please report it")
        sys.exit(2)


# The commands register themselves on `main`.
from clarity.cli import audit, check, extension, fix, gate, rules  # noqa: E402

__all__ += ["audit", "check", "extension", "fix", "gate", "rules"]

if __name__ == "__main__":  # pragma: no cover
    run()
