"""Auditing a whole ticket archive on Dask: Parquet tables and an offline report.

``clarity audit ARCHIVE... --out DIR`` and :func:`audit` read CSV, JSON Lines and
Parquet archives (:mod:`clarity.audit.archive`), check every reply with the engine
and configuration of ``clarity check`` on Dask workers (:mod:`clarity.audit.check`,
:mod:`clarity.audit.run`), write ``drafts.parquet`` and ``findings.parquet`` one
partition at a time with a manifest for ``--resume`` (:mod:`clarity.audit.store`),
and aggregate them into ``report.html`` (:mod:`clarity.audit.report`).

For a dataframe you already have, :func:`audit_partition` checks one pandas
partition::

    import dask.dataframe as dd, clarity
    ddf = dd.read_parquet("replies.parquet")
    drafts = ddf.map_partitions(clarity.audit_partition, text="reply",
                                meta=clarity.audit.empty("drafts"))

Dask, pandas, pyarrow, altair and vl-convert come with ``pip install 'clarity[audit]'``.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clarity.audit.archive import Columns
from clarity.audit.run import AuditOptions, AuditResult, run_audit

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped]

    from clarity.config import Config
    from clarity.presend import Policy

__all__ = ["AuditOptions", "AuditResult", "Columns", "audit", "audit_partition", "empty"]


def audit(
    archives: str | Path | Sequence[str | Path],
    out: str | Path,
    *,
    columns: Columns | None = None,
    partition_size: int = 500,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    resume: bool = False,
    report: bool = True,
    progress: bool | None = False,
    on_partition: Callable[[dict[str, Any]], None] | None = None,
    config_file: str | Path | None = None,
    **settings: Any,
) -> AuditResult:
    """Audit ``archives`` into the folder ``out`` (see ``docs/audit.md``).

    Returns an :class:`AuditResult` with the totals; ``result.tables()`` gives
    ``drafts.parquet`` and ``findings.parquet`` as Dask dataframes (call
    ``.compute()`` for pandas). ``settings`` are clarity settings
    (``audience="technical"``, ``ignore=["R003"]``...) over the configuration found
    from each archive's folder. ``client`` reuses a ``distributed.Client``;
    otherwise ``scheduler`` (``tcp://host:port``) or a LocalCluster of ``workers``
    processes is used.
    """
    paths = [str(archives)] if isinstance(archives, (str, Path)) else [str(a) for a in archives]
    options = AuditOptions(
        out=Path(out),
        columns=columns or Columns(),
        partition_size=partition_size,
        workers=workers,
        scheduler=scheduler,
        client=client,
        resume=resume,
        report=report,
        progress=progress,
        on_partition=on_partition,
        config_file=Path(config_file) if config_file is not None else None,
        overrides=settings,
    )
    return run_audit(paths, options)


def empty(table: str = "drafts") -> pd.DataFrame:
    """An empty pandas frame with the columns of ``table`` (``drafts`` or
    ``findings``): the ``meta`` of ``map_partitions(audit_partition, ...)``."""
    from clarity.audit.check import schemas

    drafts, findings = schemas()
    if table not in ("drafts", "findings"):
        raise ValueError("table must be 'drafts' or 'findings'")
    return (drafts if table == "drafts" else findings).empty_table().to_pandas()


def audit_partition(
    df: pd.DataFrame,
    *,
    text: str | None = None,
    incoming: str | None = None,
    agent: str | None = None,
    team: str | None = None,
    created_at: str | None = None,
    ticket_id: str | None = None,
    subject: str | None = None,
    table: str = "drafts",
    config: Config | None = None,
    policy: Policy | None = None,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Check the replies of one pandas partition; the ``table`` (``drafts``: one row
    per reply, or ``findings``: one row per finding) as a pandas frame.

    Columns are named as for ``clarity audit`` (``text`` is the reply column,
    detected when ``None``). ``config`` defaults to the configuration found from the
    current folder, ``policy`` to its pre-send policy. Each worker process loads the
    pipeline once. For ``ddf.map_partitions(clarity.audit_partition, ...,
    meta=clarity.audit.empty(table))``.
    """
    from clarity.audit.archive import pick_columns, row_from_mapping
    from clarity.audit.check import check_rows
    from clarity.config import load_config
    from clarity.presend import load_policy

    if table not in ("drafts", "findings"):
        raise ValueError("table must be 'drafts' or 'findings'")
    names = [str(c) for c in df.columns]
    wanted = Columns(text, incoming, agent, team, created_at, ticket_id, subject)
    picked = pick_columns(names, wanted, "dataframe", need_text=True)
    number = partition_info["number"] if partition_info else 0
    rows = [
        row_from_mapping(i, f"partition {number}:row {i}", record, picked)
        for i, record in enumerate(df.to_dict("records"), 1)
    ]
    drafts, findings = check_rows(
        rows, config or load_config(), policy or load_policy(), int(number)
    )
    out = drafts if table == "drafts" else findings
    frame: pd.DataFrame = out.to_pandas()
    frame.index = range(len(frame))
    return frame


class _CallableModule(types.ModuleType):
    """This module, callable: ``clarity.audit(...)`` is :func:`audit` whether
    ``clarity.audit`` was first reached as an attribute or imported as a package."""

    def __call__(self, *args: Any, **kwargs: Any) -> AuditResult:
        return audit(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
