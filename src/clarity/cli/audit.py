"""``clarity audit``: a whole ticket archive on Dask, Parquet and report.html out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from clarity.cli import main
from clarity.cli.common import (
    ACCEPT,
    ENCODING,
    IGNORE,
    MODEL,
    SELECT,
    config_option,
    error,
    overrides_from,
)
from clarity.config import AUDIENCES, FAIL_ON
from clarity.errors import ClarityError


@main.command()
@click.argument("archives", nargs=-1, type=str, required=True)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for drafts.parquet, findings.parquet, report.html and the manifest.",
)
@click.option("--column", help="The reply column (default: body, text, draft, reply...).")
@click.option("--incoming-column", help="The customer's message (default: incoming, customer...).")
@click.option("--agent-column", help="Who wrote the reply (default: agent, author...).")
@click.option("--team-column", help="The team (default: team, group, queue).")
@click.option("--created-column", help="When it was sent (default: created_at, date...).")
@click.option("--id-column", help="The ticket id (default: id, ticket_id...).")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="A running Dask scheduler, tcp://host:port (default: a local cluster).",
)
@click.option(
    "-j",
    "--workers",
    type=click.IntRange(min=1),
    help="Local worker processes (default: one per core).",
)
@click.option(
    "--partition-size",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Rows per partition: the unit of work, retry and resume.",
)
@click.option("--resume", is_flag=True, help="Finish an audit a killed run left in --out.")
@click.option("--no-report", is_flag=True, help="Write the Parquet files only.")
@click.option("-q", "--quiet", is_flag=True, help="No progress line and no summary.")
@click.option("--audience", type=click.Choice(sorted(AUDIENCES)), help="Who reads the replies.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    help="The gate's severity (default: the pre-send policy's, warning).",
)
@SELECT
@IGNORE
@ACCEPT
@MODEL
@ENCODING
@config_option()
def audit(
    archives: tuple[str, ...],
    out: Path,
    column: str | None,
    incoming_column: str | None,
    agent_column: str | None,
    team_column: str | None,
    created_column: str | None,
    id_column: str | None,
    scheduler: str | None,
    workers: int | None,
    partition_size: int,
    resume: bool,
    no_report: bool,
    quiet: bool,
    audience: str | None,
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    accept: tuple[str, ...],
    model: str | None,
    encoding: str | None,
    config_file: Path | None,
) -> None:
    """Audit ticket archives (.csv, .jsonl, .parquet): every reply checked on Dask,
    drafts.parquet, findings.parquet and an offline report.html written to --out."""
    overrides = overrides_from(audience, select, ignore, accept, model)
    try:
        from clarity.audit import AuditOptions, Columns
        from clarity.audit.run import run_audit
    except ImportError:
        error("clarity audit needs Dask and pyarrow: pip install 'clarity[audit]'")
        sys.exit(2)
    options = AuditOptions(
        out=out,
        columns=Columns(
            column, incoming_column, agent_column, team_column, created_column, id_column
        ),
        partition_size=partition_size,
        workers=workers,
        scheduler=scheduler,
        resume=resume,
        encoding=encoding,
        config_file=config_file,
        overrides={k: v for k, v in overrides.items() if v is not None},
        policy_overrides={"fail_on": fail_on},
        report=not no_report,
        progress=False if quiet else None,
    )
    try:
        result = run_audit(list(archives), options)
    except ClarityError as exc:
        error(str(exc))
        sys.exit(2)
    if not quiet:
        rate = (result.drafts - result.skipped_rows) / max(result.seconds, 1e-6)
        click.echo(
            f"audited {result.drafts:,} rows ({result.bad:,} bad) in {result.partitions:,} "
            f"partitions ({result.skipped:,} already done) on {result.workers} "
            f"worker{'s' * (result.workers != 1)}: "
            f"{result.findings:,} findings, {result.words:,} words, "
            f"{result.seconds:,.1f} s ({rate:,.1f} rows/s)"
        )
        click.echo(f"wrote {out / 'drafts.parquet'}, {out / 'findings.parquet'}")
        if not no_report:
            click.echo(f"report: {result.report}")
