"""The thin client: ``clarity check --server URL`` (or ``CLARITY_SERVER``).

The drafts are read here exactly as ``clarity check`` reads them (files, folders,
e-mails, tickets, batches, with their regions and subject lines), each is sent to a
running ``clarity serve`` with the settings found here, and the results are written
by the same renderers, so the output is the same as a local check. Nothing here
imports spaCy: a hook that starts a fresh process per message pays no model start-up.

Only the standard library talks HTTP (:mod:`urllib.request`). ``CLARITY_TOKEN`` is
sent as a bearer token when it is set.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from clarity.config import REQUEST_SETTINGS, Config
from clarity.errors import ClarityError
from clarity.types import (
    Applicability,
    Category,
    Edit,
    Finding,
    Fix,
    Readability,
    Region,
    Report,
    SentenceScore,
    Severity,
)

if TYPE_CHECKING:
    from clarity.batch import BatchOptions

#: Seconds to wait for the service's answer to one request.
TIMEOUT = 30.0


class ServiceError(ClarityError):
    """The service could not be reached, or refused the request."""


class Client:
    """Calls one clarity service."""

    def __init__(self, url: str, token: str | None = None, timeout: float = TIMEOUT) -> None:
        url = url.strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ServiceError(f"--server must be an http:// or https:// URL, not {url!r}")
        self.url = url
        self.token = token if token is not None else os.environ.get("CLARITY_TOKEN") or None
        self.timeout = timeout

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url + path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise ServiceError(f"the clarity service answered {exc.code}: {_reason(exc)}") from None
        except urllib.error.URLError as exc:
            raise ServiceError(
                f"cannot reach the clarity service at {self.url}: {exc.reason}"
            ) from None
        except (OSError, ValueError) as exc:
            raise ServiceError(f"the clarity service at {self.url} failed: {exc}") from None
        if not isinstance(data, dict):
            raise ServiceError(f"the clarity service at {self.url} sent an unexpected answer")
        return data


def _reason(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read().decode("utf-8"))
        return str(data["error"])
    except Exception:
        return str(exc.reason)


def settings_of(config: Config) -> dict[str, Any]:
    """The settings of ``config`` that a request carries."""
    out: dict[str, Any] = {}
    for name in REQUEST_SETTINGS:
        value = getattr(config, name)
        if value is None:
            continue
        if name == "severity":
            value = {k: v.value for k, v in value.items()}
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


# --- reports from their JSON -------------------------------------------------------


def _finding(d: dict[str, Any]) -> Finding:
    fix = d.get("fix")
    return Finding(
        code=d["code"],
        rule=d["rule"],
        category=Category(d["category"]),
        severity=Severity(d["severity"]),
        start=d["start"],
        end=d["end"],
        text=d["text"],
        message=d["message"],
        suggestions=tuple(d.get("suggestions", ())),
        fix=None
        if fix is None
        else Fix(
            edits=tuple(Edit(e["start"], e["end"], e["replacement"]) for e in fix["edits"]),
            applicability=Applicability(fix["applicability"]),
            message=fix.get("message", ""),
        ),
    )


class Remote:
    """A value the service sent as a JSON object, read by attribute (``tone.label``,
    ``tone.sentences[0].politeness``); ``to_dict()`` gives the object back as sent."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            return _wrap(self._data[name])
        except KeyError:
            raise AttributeError(name) from None

    def to_dict(self) -> dict[str, Any]:
        return dict(self._data)


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return Remote(value)
    if isinstance(value, list):
        return tuple(_wrap(v) for v in value)
    return value


_REPORT_KEYS = {
    "source",
    "text",
    "audience",
    "score",
    "counts",
    "readability",
    "regions",
    "findings",
    "subject",
    "subject_findings",
    "line",
    "column",
}


def report_from_result(data: dict[str, Any]) -> Report:
    """The :class:`~clarity.types.Report` of one JSON result (``result_dict``'s inverse).

    Keys the report does not model are kept in ``extra``, so ``to_dict()`` gives them
    back; a ``tone`` goes to ``Report.tone`` where the report has that field."""
    r = data["readability"]
    readability = Readability(
        grade=r["grade"],
        reading_ease=r["reading_ease"],
        metrics=dict(r.get("metrics", {})),
        words=r["words"],
        sentences=r["sentences"],
        sentence_scores=tuple(
            SentenceScore(
                s["start"], s["end"], s["words"], s["syllables"], s["grade"], s["reading_ease"]
            )
            for s in r.get("per_sentence", ())
        ),
    )
    extra = {k: v for k, v in data.items() if k not in _REPORT_KEYS}
    report = Report(
        text=data["text"],
        findings=tuple(_finding(f) for f in data["findings"]),
        readability=readability,
        score=data["score"],
        audience=data["audience"],
        regions=tuple(Region(g["start"], g["end"], g["kind"]) for g in data.get("regions", ())),
        source=data.get("source"),
        extra=extra,
        subject=data.get("subject"),
        subject_findings=tuple(_finding(f) for f in data.get("subject_findings", ())),
    )
    if "tone" in {f.name for f in dataclasses.fields(Report)} and "tone" in extra:
        tone = extra.pop("tone")
        changes: dict[str, Any] = {"tone": _wrap(tone) if isinstance(tone, dict) else None}
        report = dataclasses.replace(report, **changes)
    return report


class RemoteChecker:
    """Quacks like :class:`~clarity.engine.Checker` for ``check``: the work is done by
    the service, with this configuration's settings."""

    def __init__(self, client: Client, config: Config) -> None:
        self.client = client
        self.config = config
        self.settings = settings_of(config)

    def check(
        self,
        text: str,
        *,
        regions: Sequence[Region] = (),
        source: str | None = None,
        subject: str | None = None,
        incoming: str | None = None,
    ) -> Report:
        payload: dict[str, Any] = {
            "text": text,
            "regions": [r.to_dict() for r in regions],
            "source": source,
            "config": self.settings,
        }
        if subject is not None:
            payload["subject"] = subject
        if incoming is not None:
            payload["incoming"] = incoming
        data = self.client.post("/v1/check", payload)
        try:
            return report_from_result(data["result"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ServiceError(f"the clarity service sent an unreadable result ({exc})") from None


def run_remote(
    paths: Sequence[str],
    options: BatchOptions,
    server: str,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    """``clarity check --server``: like :func:`clarity.batch.run_batch`, checked remotely,
    one draft at a time. Returns the exit code."""
    from clarity import batch

    out = out if out is not None else sys.stdout
    errs: IO[str] = err if err is not None else sys.stderr
    try:
        client = Client(server)
    except ServiceError as exc:
        errs.write(f"clarity: error: {exc}\n")
        return 2
    warned: set[str | None] = set()

    class RemoteWorker(batch._Worker):
        def checker(self, config: Config) -> Any:
            if (config.extra_lexicons or config.model) and config.origin not in warned:
                warned.add(config.origin)
                errs.write(
                    f"clarity: warning: {config.origin or 'settings'}: extra_lexicons and "
                    "model are the service's own with --server\n"
                )
            found = self._checkers.get(config.origin)
            if found is None or found.config != config:
                found = self._checkers[config.origin] = RemoteChecker(client, config)
            return found

    worker = RemoteWorker(options.fmt, options.colour, options.fail_on)
    writer = batch._Writer(out, options.fmt)
    summary = batch.Summary()
    worst = 0
    try:
        for item in batch.iter_tasks(paths, options):
            outcome = worker.run(item)
            if outcome.error is not None:
                errs.write(f"clarity: error: {outcome.error}\n")
                errs.flush()
            writer.write(outcome)
            summary.add(outcome)
            worst = max(worst, outcome.status)
    except KeyboardInterrupt:
        errs.write("clarity: interrupted\n")
        return 130
    documents = summary.documents + summary.unreadable
    writer.finish(summary, options.fail_on, show_summary=documents > 1 and not options.quiet)
    return worst
