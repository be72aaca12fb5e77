"""The checks of ``clarity serve``, run in worker processes the service can kill.

A :class:`WorkerPool` starts ``size`` processes (``multiprocessing``, *spawn*); each
loads the language pipeline once, checks a warm-up draft, says it is ready, then runs
one job at a time, sent and answered over its own pipe. The event loop never runs a
check, so ``/healthz`` and small requests answer while a long draft is checked on
another worker. A job over the time limit gets 503, and its worker is killed (the
GIL of a runaway rule cannot be interrupted any other way) and replaced by a new one;
a worker is also replaced after :data:`MAX_JOBS` jobs (its caches start afresh).

In the worker, every job runs inside ``nlp.memory_zone()`` (spaCy >= 3.8): the words
a draft adds to the string store are dropped when the job ends, so a long-running
service does not grow with every new word it sees. Anything a checker builds lazily
(matchers, caches) is built outside a zone, by the warm-up check of each new set of
settings, so nothing kept outlives the strings it uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import multiprocessing
import signal
import time
import traceback
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clarity.draft import Draft
from clarity.errors import ClarityError, ConfigError, InputError

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from clarity.config import Config
    from clarity.engine import Checker
    from clarity.presend import Policy

log = logging.getLogger("clarity.server")

#: Checked once per worker and per new set of settings, outside any memory zone.
#: It wakes every lazily loaded table, the word lists of other languages included
#: (the Spanish line), so that no user's first draft pays for loading them.
WARM_TEXT = (
    "Hi Maria,\n\nIn order to fix the latency, please flush your DNS cache. The VPN was "
    "reconfigured by our team; the spooler is idempotent.\n\nGracias por su paciencia."
    "\n\nKind regards,\nSam"
)
#: Longest wait for a new worker to load the pipeline, in seconds.
LOAD_TIMEOUT = 300.0
#: Jobs after which a worker is replaced by a fresh one. The memory zone keeps spaCy's
#: string store flat, but word-keyed caches (syllable counts, word frequencies,
#: Pyphen's own) still grow by about 13 MB per 1,000 drafts of never-seen words;
#: a fresh worker starts from the baseline again.
MAX_JOBS = 1000


class JobError(Exception):
    """A job that failed: ``status`` and one line for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


@dataclass(frozen=True)
class Job:
    """A validated ``/v1/check``, ``/v1/presend`` or ``/v1/fix`` request, as sent to a
    worker (plain data: it is pickled)."""

    kind: str
    #: The draft, as every face hands it to the engine (regions ``None``: detected).
    draft: Draft
    #: Settings over the service's configuration, as canonical JSON (a cache key).
    settings: str = "{}"
    #: Policy changes (``None`` switches a test off), as ``Policy.update`` takes them.
    policy: tuple[tuple[str, Any], ...] = ()
    unsafe: bool = False


def where(exc: BaseException) -> str:
    """``Type at file:line``: an exception named without its message (which may quote
    the text)."""
    frames = traceback.extract_tb(exc.__traceback__)
    place = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}{place}"


# --- in the worker process ----------------------------------------------------------


def _result(report: Any, source: str | None) -> dict[str, Any]:
    from clarity.render import result_dict

    data = result_dict(report, source)
    tone = getattr(report, "tone", None)
    if tone is not None and "tone" not in data:
        data["tone"] = tone.to_dict()
    return data


class Jobs:
    """What a worker process runs: one checker per distinct request settings (at most
    ``cache_size`` kept), each warmed up outside a memory zone when it is made."""

    def __init__(self, config: Config, policy: Policy, cache_size: int = 16) -> None:
        self.config = config
        self.policy = policy
        self.cache_size = cache_size
        self._checkers: OrderedDict[str, Checker] = OrderedDict()

    def checker(self, settings: str) -> Checker:
        from clarity.engine import Checker

        found = self._checkers.get(settings)
        if found is None:
            changes = json.loads(settings)
            found = Checker(self.config.replace(**changes) if changes else self.config)
            self._warm(found)
            self._checkers[settings] = found
            while len(self._checkers) > self.cache_size:
                self._checkers.popitem(last=False)
        else:
            self._checkers.move_to_end(settings)
        return found

    def _warm(self, checker: Checker) -> None:
        job = Job("fix", Draft(WARM_TEXT))
        self._check(checker, job)
        self._presend(checker, job)
        self._fix(checker, job)

    def load(self) -> dict[str, str]:
        """Load the pipeline and warm it up; returns the model's name and version."""
        meta = self.checker("{}").nlp.meta
        return {"name": f"{meta.get('lang')}_{meta.get('name')}", "version": meta["version"]}

    def run(self, job: Job) -> dict[str, Any]:
        checker = self.checker(job.settings)
        func = {"check": self._check, "presend": self._presend, "fix": self._fix}[job.kind]
        zone = getattr(checker.nlp, "memory_zone", None)
        with zone() if zone is not None else contextlib.nullcontext():
            return func(checker, job)

    def _check(self, checker: Checker, job: Job) -> dict[str, Any]:
        from clarity.render import SCHEMA_VERSION

        report = checker.check_draft(job.draft)
        return {
            "schema_version": SCHEMA_VERSION,
            "target_grade": checker.config.effective_target_grade,
            "result": _result(report, job.draft.source),
        }

    def _presend(self, checker: Checker, job: Job) -> dict[str, Any]:
        from clarity.presend import presend
        from clarity.render import SCHEMA_VERSION

        verdict = presend(job.draft, policy=self.policy.update(dict(job.policy)), checker=checker)
        return {
            "schema_version": SCHEMA_VERSION,
            "target_grade": checker.config.effective_target_grade,
            **verdict.to_dict(),
        }

    def _fix(self, checker: Checker, job: Job) -> dict[str, Any]:
        from clarity.render import SCHEMA_VERSION

        draft = job.draft
        fixed = checker.fix(
            draft.text,
            unsafe=job.unsafe,
            regions=draft.regions,
            subject=draft.subject,
            incoming=draft.incoming,
        )
        return {
            "schema_version": SCHEMA_VERSION,
            "text": fixed.text,
            "changed": fixed.changed,
            "complete": fixed.complete,
            "applied": [f.to_dict() for f in fixed.applied],
            "result": _result(fixed.report, draft.source),
        }


def worker_main(conn: Connection, config: Config, policy: Policy) -> None:
    """A worker process: load, say ``("ready", model)``, then answer each job with
    ``("ok", result)`` or ``("error", status, message)`` until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the service stops its workers
    jobs = Jobs(config, policy)
    try:
        conn.send(("ready", jobs.load()))
    except ClarityError as exc:
        conn.send(("failed", str(exc)))
        return
    except Exception as exc:  # pragma: no cover - a bug; named without details
        conn.send(("failed", f"internal error ({where(exc)})"))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[Any, ...] = ("ok", jobs.run(job))
        except (ConfigError, InputError) as exc:
            reply = ("error", 422, str(exc))
        except ClarityError as exc:
            reply = ("error", 500, str(exc))
        except Exception as exc:
            reply = ("error", 500, f"internal error ({where(exc)})")
        conn.send(reply)


def _receive(conn: Connection, timeout: float) -> Any:
    """The next message on ``conn`` within ``timeout`` seconds (on an I/O thread).

    Raises :class:`TimeoutError`, or :class:`EOFError` when the worker is gone."""
    if not conn.poll(timeout):
        raise TimeoutError
    return conn.recv()


# --- in the service -----------------------------------------------------------------


@dataclass(eq=False)
class Worker:
    process: BaseProcess
    conn: Connection
    number: int
    jobs: int = 0


class WorkerPool:
    """``size`` worker processes and the queue of the idle ones (on the event loop)."""

    def __init__(
        self,
        config: Config,
        policy: Policy,
        *,
        size: int,
        timeout: float,
        max_pending: int,
        max_jobs: int = MAX_JOBS,
    ) -> None:
        self.config = config
        self.max_jobs = max_jobs
        self.policy = policy
        self.size = size
        self.timeout = timeout
        self.max_pending = max_pending
        #: The function each worker process runs (a test may wrap it).
        self.target: Callable[..., None] = worker_main
        self.state = "starting"
        self.error: str | None = None
        self.model: dict[str, str] = {}
        self.pending = 0
        self.replaced = 0
        self.retired = 0
        self._context = multiprocessing.get_context("spawn")
        self._workers: set[Worker] = set()
        self._idle: asyncio.Queue[Worker] | None = None
        self._ready: asyncio.Event | None = None
        self._io: ThreadPoolExecutor | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._numbers = iter(range(1, 1 << 62))
        self._stopping = False

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def status(self) -> dict[str, int]:
        idle = self._idle.qsize() if self._idle is not None else 0
        return {
            "size": self.size,
            "alive": len(self._workers),
            "idle": idle,
            "replaced": self.replaced,
            "retired": self.retired,
        }

    async def start(self) -> None:
        """Start the workers; returns once the first is ready (or all failed)."""
        self._idle = asyncio.Queue()
        self._ready = asyncio.Event()
        self._io = ThreadPoolExecutor(max_workers=2 * self.size + 2, thread_name_prefix="clarity")
        started = time.perf_counter()
        for _ in range(self.size):
            self._spawn_soon()
        await self._ready.wait()
        if self.state == "ready":
            log.info(
                "ready: %s %s loaded in %.1f s (%d workers)",
                self.model.get("name"),
                self.model.get("version"),
                time.perf_counter() - started,
                self.size,
            )

    def _spawn_soon(self) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(self._spawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _spawn(self) -> None:
        assert self._io is not None and self._idle is not None and self._ready is not None
        parent, child = self._context.Pipe()
        number = next(self._numbers)
        process = self._context.Process(
            target=self.target,
            args=(child, self.config, self.policy),
            name=f"clarity-worker-{number}",
            daemon=True,
        )
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._io, process.start)
        child.close()
        worker = Worker(process, parent, number)
        self._workers.add(worker)
        try:
            message = await loop.run_in_executor(self._io, _receive, parent, LOAD_TIMEOUT)
        except (TimeoutError, EOFError, OSError) as exc:
            message = ("failed", f"the worker did not start ({type(exc).__name__})")
        if self._stopping:
            self._kill(worker)
            return
        if message[0] == "ready":
            if self.state != "ready":
                self.state, self.model = "ready", message[1]
            log.debug("worker %d ready (pid %s)", number, process.pid)
            self._idle.put_nowait(worker)
        else:
            self._kill(worker)
            log.error("cannot start a worker: %s", message[1])
            if self.state != "ready" and not self._workers:
                self.state, self.error = "error", str(message[1])
        if self.state != "starting" or not self._workers:
            self._ready.set()

    def _kill(self, worker: Worker) -> None:
        self._workers.discard(worker)
        with contextlib.suppress(OSError):
            worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        if self._io is not None and not self._stopping:
            self._io.submit(worker.process.join, 5)

    def _replace(self, worker: Worker) -> None:
        self._kill(worker)
        self.replaced += 1
        if not self._stopping:
            self._spawn_soon()

    async def run(self, job: Job) -> dict[str, Any]:
        """``job`` on an idle worker, within the time limit (:class:`JobError` else)."""
        deadline = time.monotonic() + self.timeout
        if self.state != "ready":
            if self._ready is None:
                raise JobError(503, "the service is starting; try again", {"Retry-After": "1"})
            try:
                await asyncio.wait_for(self._ready.wait(), self.timeout)
            except asyncio.TimeoutError:
                raise JobError(503, "still loading; try again", {"Retry-After": "2"}) from None
            if self.state != "ready":
                raise JobError(503, f"the service failed to start: {self.error}")
        if self.pending >= self.max_pending:
            raise JobError(
                503, f"busy: {self.pending} requests waiting; try again", {"Retry-After": "1"}
            )
        assert self._idle is not None and self._io is not None
        self.pending += 1
        try:
            try:
                worker = await asyncio.wait_for(self._idle.get(), self._left(deadline))
            except asyncio.TimeoutError:
                raise JobError(
                    503,
                    f"busy: no worker was free within {self.timeout:g} s; try again",
                    {"Retry-After": "2"},
                ) from None
            return await self._on(worker, job, deadline)
        finally:
            self.pending -= 1

    async def _on(self, worker: Worker, job: Job, deadline: float) -> dict[str, Any]:
        assert self._idle is not None
        loop = asyncio.get_running_loop()
        done = False
        try:
            await loop.run_in_executor(self._io, worker.conn.send, job)
            reply = await loop.run_in_executor(
                self._io, _receive, worker.conn, self._left(deadline)
            )
            done = True
        except TimeoutError:
            log.warning("worker %d killed: a check went over %g s", worker.number, self.timeout)
            raise JobError(
                503, f"the check took longer than {self.timeout:g} s", {"Retry-After": "5"}
            ) from None
        except (EOFError, OSError):
            log.error("worker %d stopped during a check", worker.number)
            raise JobError(503, "the check failed: its worker stopped; try again") from None
        finally:
            worker.jobs += 1
            if done and self.max_jobs and worker.jobs >= self.max_jobs:
                log.debug("worker %d retired after %d jobs", worker.number, worker.jobs)
                self.retired += 1
                self._kill(worker)
                self._spawn_soon()
            elif done:
                self._idle.put_nowait(worker)
            else:  # timed out, died, or the request was cancelled: never reuse it
                self._replace(worker)
        if reply[0] == "ok":
            result: dict[str, Any] = reply[1]
            return result
        status, message = reply[1], reply[2]
        if status >= 500:
            log.error("internal error in a check: %s", message)
        raise JobError(status, message)

    @staticmethod
    def _left(deadline: float) -> float:
        return max(0.001, deadline - time.monotonic())

    def stop(self) -> None:
        """Kill every worker (the service is shutting down)."""
        self._stopping = True
        for task in list(self._tasks):
            task.cancel()
        workers = list(self._workers)
        for worker in workers:
            self._kill(worker)
        for worker in workers:
            worker.process.join(2)
        if self._io is not None:
            self._io.shutdown(wait=False, cancel_futures=True)
