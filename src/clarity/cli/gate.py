"""``clarity hook`` and ``clarity serve``: the pre-send gate's faces."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from clarity import server
from clarity.cli import main
from clarity.cli.common import (
    MODEL,
    config_option,
    error,
)
from clarity.config import AUDIENCES, FAIL_ON, load_config
from clarity.errors import ClarityError
from clarity.inputs import stdin_is_terminal


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
@config_option("settings and the [presend] policy")
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
        error(str(exc))
        sys.exit(2)
    sys.exit(run_hook(io.BytesIO(data), options, source=path))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=server.PORT, show_default=True)
@click.option(
    "--max-body",
    type=click.IntRange(min=1),
    default=server.MAX_BODY,
    show_default=True,
    help="Largest request body, in bytes (413 beyond).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=server.TIMEOUT,
    show_default=True,
    help="Time limit of one check, in seconds (503 beyond; its worker is replaced).",
)
@click.option(
    "--allow-host",
    multiple=True,
    help="Also answer requests for this Host name (repeatable; loopback names always).",
)
@click.option("--audience", type=click.Choice(sorted(AUDIENCES)), help="Default audience.")
@MODEL
@config_option("settings and the [presend] policy")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=server.WORKERS,
    show_default=True,
    help="Worker processes that run the checks, each with its own pipeline (at least 2, "
    "so that a long draft never holds up short ones).",
)
@click.option(
    "--body-timeout",
    type=click.FloatRange(min=0.1),
    default=server.BODY_TIMEOUT,
    show_default=True,
    help="Seconds a client has to send its request body (408 beyond).",
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
    body_timeout: float,
) -> None:
    """Run the HTTP service and its page (needs the server extra: pip install ".[server]").

    Listens on 127.0.0.1 unless --host says otherwise. Set CLARITY_TOKEN to require
    `Authorization: Bearer <token>` on every /v1/ call.
    """
    try:
        from clarity.server.run import serve as run_server
    except ImportError as exc:
        error(f'clarity serve needs the server extra: pip install ".[server]" ({exc})')
        sys.exit(2)
    from clarity.presend import load_policy

    try:
        config = load_config(file=config_file, audience=audience, model=model)
        policy = load_policy(file=config_file)
    except ClarityError as exc:
        error(str(exc))
        sys.exit(2)
    try:
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
            body_timeout=body_timeout,
        )
    except ClarityError as exc:  # the port is in use, the address cannot be bound...
        error(str(exc))
        sys.exit(2)
