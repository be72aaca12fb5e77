"""One runner for every face: where a :class:`~clarity.draft.Draft` is checked.

``clarity check``, ``clarity fix``, batches, ``clarity hook`` and the thin client
(``--server``) all ask a :class:`Backend`: :class:`LocalBackend` runs the engine in this
process, :class:`RemoteBackend` asks a running ``clarity serve``. Both answer with the
same values (a :class:`~clarity.types.Report`, a fix result, a verdict as JSON-ready
data), so a face never knows, nor cares, where the work was done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from clarity.config import Config
from clarity.draft import Draft
from clarity.types import Report

if TYPE_CHECKING:
    from clarity.client import Client
    from clarity.engine import Checker
    from clarity.presend import Policy

__all__ = ["Backend", "FixOutcome", "LocalBackend", "RemoteBackend", "backend_for"]


@dataclass(frozen=True)
class FixOutcome:
    """What fixing a draft gave: the new text, how many fixes were applied, and the
    report of the new text (what remains to do by hand)."""

    original: str
    text: str
    applied: int
    report: Report
    #: False when the pass limit stopped the fixing with fixes still to apply.
    complete: bool = True

    @property
    def changed(self) -> bool:
        return self.text != self.original


class Backend(Protocol):
    """Where drafts are checked."""

    config: Config

    def check(self, draft: Draft) -> Report: ...

    def fix(self, draft: Draft, *, unsafe: bool = False) -> FixOutcome: ...

    def presend(self, draft: Draft, policy: Policy) -> dict[str, Any]: ...


class LocalBackend:
    """The engine in this process (the pipeline is loaded once and cached)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._checker: Checker | None = None

    @property
    def checker(self) -> Checker:
        if self._checker is None:
            from clarity.engine import Checker

            self._checker = Checker(self.config)
        return self._checker

    def _for(self, draft: Draft) -> Checker:
        if draft.audience is None or draft.audience == self.config.audience:
            return self.checker
        from clarity.engine import Checker

        return Checker(self.config.replace(audience=draft.audience))

    def check(self, draft: Draft) -> Report:
        return self._for(draft).check_draft(draft)

    def fix(self, draft: Draft, *, unsafe: bool = False) -> FixOutcome:
        result = self._for(draft).fix(
            draft.text,
            unsafe=unsafe,
            regions=draft.regions,
            subject=draft.subject,
            incoming=draft.incoming,
        )
        return FixOutcome(
            draft.text, result.text, len(result.applied), result.report, result.complete
        )

    def presend(self, draft: Draft, policy: Policy) -> dict[str, Any]:
        from clarity.presend import presend
        from clarity.render import SCHEMA_VERSION

        verdict = presend(draft, policy=policy, checker=self._for(draft))
        return {"schema_version": SCHEMA_VERSION, **verdict.to_dict()}


class RemoteBackend:
    """A running ``clarity serve``: the same answers, computed there. The request
    carries this configuration's settings; the service's own model and extra lexicons
    are used."""

    def __init__(self, client: Client, config: Config) -> None:
        from clarity.client import settings_of

        self.client = client
        self.config = config
        self.settings = settings_of(config)

    def _payload(self, draft: Draft) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "text": draft.text,
            "source": draft.source,
            "config": self.settings,
        }
        if draft.audience is not None:
            payload["config"] = {**self.settings, "audience": draft.audience}
        if draft.regions is not None:
            payload["regions"] = [r.to_dict() for r in draft.regions]
        if draft.subject is not None:
            payload["subject"] = draft.subject
        if draft.incoming is not None:
            payload["incoming"] = draft.incoming
        return payload

    def _report(self, data: dict[str, Any]) -> Report:
        from clarity.client import ServiceError, report_from_result

        try:
            return report_from_result(data["result"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ServiceError(f"the clarity service sent an unreadable result ({exc})") from None

    def check(self, draft: Draft) -> Report:
        return draft.noted(self._report(self.client.post("/v1/check", self._payload(draft))))

    def fix(self, draft: Draft, *, unsafe: bool = False) -> FixOutcome:
        data = self.client.post("/v1/fix", {**self._payload(draft), "unsafe": unsafe})
        report = self._report(data)
        applied = data.get("applied", [])
        return FixOutcome(
            draft.text,
            str(data.get("text", report.text)),
            len(applied) if isinstance(applied, list) else int(applied or 0),
            report,
            data.get("complete", True) is not False,
        )

    def presend(self, draft: Draft, policy: Policy) -> dict[str, Any]:
        data = self.client.post("/v1/presend", {**self._payload(draft), "policy": policy.to_dict()})
        data.pop("target_grade", None)
        return data


def backend_for(config: Config, server: str | None = None) -> Backend:
    """The backend for ``config``: the service at ``server`` when given, else local."""
    if server:
        from clarity.client import Client

        return RemoteBackend(Client(server), config)
    return LocalBackend(config)
