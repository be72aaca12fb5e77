"""The thin client: ``clarity check --server URL`` (or ``CLARITY_SERVER``).

The HTTP side of :class:`clarity.runner.RemoteBackend`: the drafts are read here
exactly as ``clarity check`` reads them (:func:`clarity.sources.read`), each is sent
to a running ``clarity serve`` with the settings found here, and the results are
written by the same renderers, so the output is the same as a local check. Nothing here
imports spaCy: a hook that starts a fresh process per message pays no model start-up.

Only the standard library talks HTTP (:mod:`urllib.request`). ``CLARITY_TOKEN`` is
sent as a bearer token when it is set.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

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
    TonePhrase,
    ToneReport,
    ToneSentence,
)

#: Seconds to wait for the service's answer to one request.
TIMEOUT = 30.0


class ServiceError(ClarityError):
    """The service refused a request, or sent an answer clarity cannot read."""


class ServiceUnreachable(ServiceError):
    """The service cannot be reached at all: no draft can be checked."""


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
            raise ServiceUnreachable(
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


def _tone(d: dict[str, Any]) -> ToneReport:
    def phrases(key: str) -> tuple[TonePhrase, ...]:
        return tuple(
            TonePhrase(p["text"], p["feature"], p["weight"], p.get("start"), p.get("end"))
            for p in d.get(key, ())
        )

    return ToneReport(
        politeness=d["politeness"],
        label=d["label"],
        sentences=tuple(
            ToneSentence(x["start"], x["end"], x["politeness"]) for x in d.get("sentences", ())
        ),
        polite_phrases=phrases("polite_phrases"),
        impolite_phrases=phrases("impolite_phrases"),
    )


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
    "tone",
    "line",
    "column",
}


def report_from_result(data: dict[str, Any]) -> Report:
    """The :class:`~clarity.types.Report` of one JSON result (``result_dict``'s inverse).

    Keys the report does not model are kept in ``extra``, so ``to_dict()`` gives them
    back."""
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
        tone=_tone(data["tone"]) if isinstance(data.get("tone"), dict) else None,
    )
    return report
