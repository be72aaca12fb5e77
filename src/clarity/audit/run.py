"""Running an audit on Dask distributed.

The driver (this process) streams the archives into partitions
(:func:`clarity.audit.archive.iter_partitions`), scatters each partition's rows to
the cluster and submits its task, with at most ``2 x workers`` partitions in
flight, so the driver holds a bounded number of rows whatever the archive's size.
A worker checks a partition (:func:`clarity.audit.check.check_rows`: one cached
checker per worker process) and sends back its two small Arrow tables; the driver
writes them as that partition's Parquet files and records it in the manifest
(:class:`clarity.audit.store.Store`).
Finished partitions are skipped by ``--resume``; a worker lost mid-run costs only the
partitions it held, whose rows are sent again to another worker.

The cluster is a :class:`distributed.LocalCluster` (one single-threaded worker
process per core) unless ``scheduler`` names a running one (``tcp://host:port``);
its workers need clarity installed, but no access to the archives or the output
folder: rows are sent by the driver and results come back to it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from clarity.audit.archive import Columns, Partition, archive_kind, iter_partitions, iter_rows
from clarity.audit.store import Store
from clarity.config import Config, load_config
from clarity.errors import ClarityError, InputError
from clarity.presend import Policy, load_policy

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["AuditOptions", "AuditResult", "run_audit"]


@dataclass(frozen=True)
class AuditOptions:
    """How to read, check and write an audit (the ``clarity audit`` options)."""

    out: Path
    columns: Columns = field(default_factory=Columns)
    #: Rows per partition: the unit of work, of retry and of resume.
    partition_size: int = 500
    #: Local worker processes; None: one per core. Ignored with ``scheduler``.
    workers: int | None = None
    #: A running Dask scheduler (``tcp://host:port``); None: a LocalCluster.
    scheduler: str | None = None
    #: An existing ``distributed.Client`` to use (the Python API, tests).
    client: Any = None
    resume: bool = False
    encoding: str | None = None
    config_file: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    policy_overrides: dict[str, Any] = field(default_factory=dict)
    report: bool = True
    #: Show progress on standard error; None: when it is a terminal.
    progress: bool | None = None
    #: Called with each partition's manifest entry once it is written.
    on_partition: Callable[[dict[str, Any]], None] | None = None


@dataclass
class AuditResult:
    """What an audit wrote, and its totals."""

    out: Path
    drafts: int = 0
    bad: int = 0
    findings: int = 0
    words: int = 0
    partitions: int = 0
    skipped: int = 0
    #: Rows of the partitions a previous run had finished.
    skipped_rows: int = 0
    seconds: float = 0.0
    workers: int = 0

    @property
    def report(self) -> Path:
        return self.out / "report.html"

    def tables(self) -> tuple[Any, Any]:
        """``drafts.parquet`` and ``findings.parquet`` as Dask dataframes (lazy)."""
        import dask.dataframe as dd

        return (
            dd.read_parquet(str(self.out / "drafts.parquet")),
            dd.read_parquet(str(self.out / "findings.parquet")),
        )


def _config(path: str, options: AuditOptions) -> Config:
    if options.config_file is not None:
        return load_config(file=options.config_file, **options.overrides)
    return load_config(Path(path).resolve().parent, **options.overrides)


def _fingerprint(
    paths: Sequence[str], configs: dict[str, Config], policy: Policy, options: AuditOptions
) -> dict[str, Any]:
    archives = []
    for p in paths:
        st = os.stat(p)
        archives.append([os.path.abspath(p), st.st_size, st.st_mtime_ns, repr(configs[p])])
    return {
        "archives": archives,
        "partition_size": options.partition_size,
        "columns": options.columns.__dict__,
        "encoding": options.encoding,
        "policy": policy.to_dict(),
    }


class _Progress:
    """One line on standard error, rewritten as partitions finish."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.start = time.monotonic()

    def update(self, result: AuditResult, in_flight: int) -> None:
        rate = result.drafts / max(time.monotonic() - self.start, 1e-6)
        self.stream.write(
            f"\r\x1b[K{result.partitions:,} partitions ({in_flight} running) · "
            f"{result.drafts:,} replies · {result.bad:,} bad · {rate:,.0f} replies/s"
        )
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def connect(options: AuditOptions) -> tuple[Client, Callable[[], None]]:
    """A client for the cluster, and how to let go of it."""
    from distributed import Client, LocalCluster

    if options.client is not None:
        return options.client, lambda: None
    if options.scheduler:
        try:
            client = Client(options.scheduler, timeout="20s")  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise InputError(f"cannot reach the scheduler {options.scheduler}: {exc}") from None
        return client, client.close
    from clarity.batch import default_jobs

    n = options.workers or default_jobs()
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=50,
    )
    client = Client(cluster)  # type: ignore[no-untyped-call]

    def close() -> None:
        client.close()  # type: ignore[no-untyped-call]
        cluster.close()

    return client, close


def run_audit(paths: Sequence[str], options: AuditOptions) -> AuditResult:
    """Audit the archives ``paths`` into ``options.out``."""
    if not paths:
        raise InputError("name the archives to audit")
    if options.partition_size < 1:
        raise InputError("--partition-size must be at least 1")
    try:
        import distributed  # noqa: F401
        import pyarrow  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        raise ClarityError(
            "clarity audit needs Dask and pyarrow: pip install 'clarity[audit]'"
        ) from None
    for p in paths:
        archive_kind(p)
        if not os.path.isfile(p):
            raise InputError(
                f"{p}: no such file" if not os.path.exists(p) else f"{p}: is not a file"
            )
    for p in paths:  # a bad header or an empty file: one line now, before any work
        if next(iter_rows(p, options.columns, options.encoding, batch=1), None) is None:
            raise InputError(f"{p}: holds no rows to audit")
    configs = {p: _config(p, options) for p in paths}
    policy = load_policy(file=options.config_file) if options.config_file else load_policy()
    policy = policy.replace(**options.policy_overrides)
    store = Store(options.out, _fingerprint(paths, configs, policy, options), options.resume)
    store.clean()
    show = options.progress if options.progress is not None else sys.stderr.isatty()
    progress = _Progress(sys.stderr) if show else None
    result = AuditResult(options.out)
    for entry in store.done.values():
        _add(result, entry)
    result.skipped = len(store.done)
    result.skipped_rows = result.drafts
    started = time.monotonic()
    client, close = connect(options)
    #: Partitions in flight by task key: the partition, its scattered rows, tries, task.
    held: dict[Any, tuple[Partition, Any, int, Any]] = {}
    try:
        from distributed import as_completed

        from clarity.audit.check import check_rows

        result.workers = len(client.scheduler_info().get("workers", {})) or 1
        window = 2 * result.workers
        pending = as_completed()  # type: ignore[no-untyped-call]
        in_flight = 0

        token = f"{os.getpid()}-{time.time_ns()}"

        def submit(part: Partition, tries: int = 0) -> None:
            # The rows go to a worker as data (scatter), not inside the task: a task's
            # arguments are kept by the scheduler (here, in this process) long after
            # the task is done, ~2 MB per partition measured; scattered data is freed
            # when released. Lost with its worker, it is sent again (below).
            nonlocal in_flight
            data = client.scatter([part.rows], hash=False)[0]  # type: ignore[no-untyped-call]
            future = client.submit(
                check_rows,
                data,
                configs[part.path],
                policy,
                part.index,
                key=f"clarity-audit-{token}-{part.index}-{tries}",
                retries=2,
                pure=False,
            )
            held[future.key] = (part, data, tries, future)
            pending.add(future)  # type: ignore[no-untyped-call]
            in_flight += 1

        def finish() -> None:
            nonlocal in_flight
            future = next(pending)
            in_flight -= 1
            part, data, tries, _ = held.pop(future.key)
            try:
                drafts, findings = future.result()
            except Exception as exc:
                future.release()
                data.release()
                if tries < 2:  # a worker lost with the partition's rows: send them again
                    submit(part, tries + 1)
                    return
                raise ClarityError(
                    f"partition {part.index} failed ({type(exc).__name__}: {exc}); "
                    "fix the cause and run again with --resume"
                ) from None
            future.release()
            data.release()
            entry = store.write(part.index, drafts, findings)
            _add(result, entry)
            if progress is not None:
                progress.update(result, in_flight)
            if options.on_partition is not None:
                options.on_partition(entry)

        for part in iter_partitions(
            paths, options.columns, options.partition_size, options.encoding
        ):
            if part.index in store.done:
                continue
            submit(part)
            while in_flight >= window:
                finish()
        while in_flight:
            finish()
    finally:
        if held:  # stopped midway: what is in flight is not wanted any more
            unwanted = [x for _, data, _, task in held.values() for x in (task, data)]
            client.cancel(unwanted)  # type: ignore[no-untyped-call]
        if progress is not None:
            progress.clear()
        close()
    result.seconds = time.monotonic() - started
    if options.report:
        from clarity.audit.report import write_report

        write_report(store, options.out / "report.html")
    return result


def _add(result: AuditResult, entry: dict[str, Any]) -> None:
    result.partitions += 1
    result.drafts += int(entry["drafts"])
    result.bad += int(entry["bad"])
    result.findings += int(entry["findings"])
    result.words += int(entry.get("words", 0))
