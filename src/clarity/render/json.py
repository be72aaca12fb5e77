"""The versioned JSON output (documented in ``docs/json-output.md``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from clarity.render.text import line_col
from clarity.types import Report

#: Bump the major number on any change that can break a consumer.
SCHEMA_VERSION = "1.0"


def result_dict(report: Report, source: str | None = None) -> dict[str, Any]:
    """One entry of ``results``: the report plus line/column for each finding."""
    data = report.to_dict()
    data["source"] = source if source is not None else report.source
    for finding in data["findings"]:
        line, col = line_col(report.text, finding["start"])
        finding["line"], finding["column"] = line, col
    for finding in data.get("subject_findings", []):
        finding["line"], finding["column"] = None, finding["start"] + 1
    return data


def render_json(results: Iterable[dict[str, Any]], *, indent: int | None = 2) -> str:
    """``{"schema_version": ..., "results": [...]}`` as a string."""
    return json.dumps(
        {"schema_version": SCHEMA_VERSION, "results": list(results)},
        ensure_ascii=False,
        indent=indent,
    )
