"""Checking one partition: rows in, two Arrow tables out (drafts and findings).

This is what a Dask worker runs. Each worker process keeps one
:class:`~clarity.engine.Checker` per configuration (:func:`checker_for`), so the spaCy
pipeline is loaded once per worker, whatever the number of partitions. Rows are
checked with :meth:`~clarity.engine.Checker.check_many` (``nlp.pipe``), the same
engine and settings as ``clarity check``; a row the engine refuses (too long, NUL
characters) becomes a row with an ``error``, and the partition goes on.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from clarity.config import Config
from clarity.draft import Draft
from clarity.errors import ClarityError
from clarity.presend import Policy, verdict_for
from clarity.types import Category, Region, Report

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from clarity.engine import Checker

__all__ = ["DRAFT_FIELDS", "FINDING_FIELDS", "check_rows", "checker_for", "schemas"]

_CATEGORIES = tuple(c.value for c in Category)
#: The columns that say where a row came from, first in both tables.
_ROW_FIELDS: tuple[tuple[str, str], ...] = (
    ("partition", "int64"),
    ("row", "int64"),
    ("source", "string"),
    ("ticket_id", "string"),
    ("agent", "string"),
    ("team", "string"),
    ("created_at", "string"),
)
#: Columns of ``drafts.parquet`` and their Arrow types (by name).
DRAFT_FIELDS: tuple[tuple[str, str], ...] = (
    *_ROW_FIELDS,
    ("has_incoming", "bool"),
    ("words", "int64"),
    ("sentences", "int64"),
    ("grade", "float64"),
    ("reading_ease", "float64"),
    ("score", "int64"),
    ("politeness", "float64"),
    ("tone", "string"),
    ("findings", "int64"),
    *((f"n_{c}", "int64") for c in _CATEGORIES),
    ("errors", "int64"),
    ("warnings", "int64"),
    ("infos", "int64"),
    ("codes", "string"),
    ("held", "bool"),
    ("held_by", "string"),
    ("t012", "bool"),
    ("t013", "bool"),
    ("text", "string"),
    ("error", "string"),
)
#: Columns of ``findings.parquet``.
FINDING_FIELDS: tuple[tuple[str, str], ...] = (
    *_ROW_FIELDS,
    ("where", "string"),
    ("code", "string"),
    ("rule", "string"),
    ("category", "string"),
    ("severity", "string"),
    ("start", "int64"),
    ("end", "int64"),
    ("text", "string"),
    ("message", "string"),
    ("suggestion", "string"),
)
_KEPT = ("ticket_id", "agent", "team", "created_at")

_CHECKERS: dict[str, Checker] = {}


def checker_for(config: Config) -> Checker:
    """This process's checker for ``config``: built (and its pipeline loaded) once."""
    key = repr(config)
    found = _CHECKERS.get(key)
    if found is None:
        from clarity.engine import Checker

        found = _CHECKERS[key] = Checker(config)
    return found


def schemas() -> tuple[pa.Schema, pa.Schema]:
    """The Arrow schemas of the drafts and findings tables."""
    import pyarrow as pa

    def schema(fields: Sequence[tuple[str, str]]) -> pa.Schema:
        types = {"int64": pa.int64(), "string": pa.string(), "bool": pa.bool_()}
        return pa.schema([(n, types.get(t, pa.float64())) for n, t in fields])

    return schema(DRAFT_FIELDS), schema(FINDING_FIELDS)


def _draft(row: dict[str, Any]) -> Draft:
    from clarity.sources import find_regions

    text = row["text"]
    found = [Region(s, e, k) for s, e, k in row["found"]]
    return Draft(
        text=text,
        subject=row["subject"],
        regions=find_regions(text, found),
        incoming=row["incoming"],
        source=row["source"],
    )


#: Distinct drafts whose reports a worker remembers: an archive sends the same macro
#: ("Your password has been reset...") thousands of times, and it is checked once.
MEMO_SIZE = 4096
_MEMO: OrderedDict[tuple[Any, ...], Report] = OrderedDict()


def _memo_key(checker: Checker, draft: Draft) -> tuple[Any, ...]:
    """What a report depends on: the checker (its configuration) and the draft less its
    name (a report's findings never depend on where the draft came from)."""
    return (id(checker), draft.text, draft.subject, draft.incoming, draft.regions)


def _reports(checker: Checker, drafts: list[Draft]) -> list[Report | str]:
    """Reports of ``drafts``: a draft seen before in this worker (the same text,
    subject, customer message and regions under the same configuration) reuses its
    report; the others are checked in one ``nlp.pipe`` stream, each distinct draft once."""
    keys = [_memo_key(checker, d) for d in drafts]
    todo: dict[tuple[Any, ...], Draft] = {}
    for key, draft in zip(keys, drafts, strict=True):
        if key in _MEMO:
            _MEMO.move_to_end(key)
        else:
            todo.setdefault(key, draft)
    checked = dict(zip(todo, _check(checker, list(todo.values())), strict=True))
    out: list[Report | str] = []
    for key, draft in zip(keys, drafts, strict=True):
        found = _MEMO.get(key) or checked[key]
        if isinstance(found, Report):
            _MEMO[key] = found
            if len(_MEMO) > MEMO_SIZE:
                _MEMO.popitem(last=False)
        else:
            found = f"{draft.source}: {found}"
        out.append(found)
    return out


def _check(checker: Checker, drafts: list[Draft]) -> list[Report | str]:
    """Reports of ``drafts`` in one ``nlp.pipe`` stream; when the engine refuses one
    (or fails on one), each is checked alone so only that one becomes an error (its
    reason, without the draft's name), as in batch mode: a bug must not stop an audit
    of millions of replies."""
    try:
        return list(checker.check_many(drafts, batch_size=32))
    except Exception:  # found again, draft by draft, below
        pass
    out: list[Report | str] = []
    for draft in drafts:
        try:
            out.append(checker.check_draft(draft))
        except ClarityError as exc:
            out.append(str(exc))
        except Exception as exc:
            out.append(f"internal error ({type(exc).__name__}: {exc}); please report it")
    return out


def check_rows(
    rows: Sequence[dict[str, Any]], config: Config, policy: Policy, partition: int = 0
) -> tuple[pa.Table, pa.Table]:
    """The drafts and findings tables of ``rows`` (see :mod:`clarity.audit.archive`)."""
    import pyarrow as pa

    checker = checker_for(config)
    readable = [r for r in rows if r["error"] is None]
    reports = dict(
        zip(
            (id(r) for r in readable), _reports(checker, [_draft(r) for r in readable]), strict=True
        )
    )
    drafts: dict[str, list[Any]] = {name: [] for name, _ in DRAFT_FIELDS}
    findings: dict[str, list[Any]] = {name: [] for name, _ in FINDING_FIELDS}
    for row in rows:
        report = reports.get(id(row))
        error = row["error"] if report is None else report if isinstance(report, str) else None
        out: dict[str, Any] = dict.fromkeys(drafts)
        out.update(
            partition=partition,
            row=row["row"],
            source=row["source"],
            has_incoming=row["incoming"] is not None,
            text=row["text"],
            error=error,
            **{k: row[k] for k in _KEPT},
        )
        if isinstance(report, Report):
            _draft_columns(out, report, policy)
            for where, found in (("subject", report.subject_findings), ("text", report.findings)):
                for f in found:
                    findings["partition"].append(partition)
                    for key in ("row", "source", *_KEPT):
                        findings[key].append(row[key])
                    findings["where"].append(where)
                    findings["code"].append(f.code)
                    findings["rule"].append(f.rule)
                    findings["category"].append(f.category.value)
                    findings["severity"].append(f.severity.value)
                    findings["start"].append(f.start)
                    findings["end"].append(f.end)
                    findings["text"].append(f.text)
                    findings["message"].append(f.message)
                    findings["suggestion"].append(f.suggestions[0] if f.suggestions else None)
        for key, value in out.items():
            drafts[key].append(value)
    draft_schema, finding_schema = schemas()
    return (
        pa.table(drafts, schema=draft_schema),
        pa.table(findings, schema=finding_schema),
    )


def _draft_columns(out: dict[str, Any], report: Report, policy: Policy) -> None:
    found = (*report.subject_findings, *report.findings)
    r = report.readability
    verdict = verdict_for(report, policy)
    codes = [f.code for f in found]
    out.update(
        words=r.words,
        sentences=r.sentences,
        grade=float(r.grade),
        reading_ease=float(r.reading_ease),
        score=report.score,
        politeness=float(report.tone.politeness) if report.tone is not None else None,
        tone=str(report.tone.label) if report.tone is not None else None,
        findings=len(found),
        errors=sum(f.severity.value == "error" for f in found),
        warnings=sum(f.severity.value == "warning" for f in found),
        infos=sum(f.severity.value == "info" for f in found),
        codes=" ".join(codes),
        held=not verdict.allowed,
        held_by=",".join(dict.fromkeys(x.kind for x in verdict.reasons)),
        t012="T012" in codes,
        t013="T013" in codes,
    )
    for c in _CATEGORIES:
        out[f"n_{c}"] = sum(f.category.value == c for f in found)
