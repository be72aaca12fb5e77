"""The pre-send verdict as a few lines for a terminal or a hook's log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Blocking findings listed in the text output; the rest are counted.
SHOW = 10


def render_verdict(data: Mapping[str, Any], show: int = SHOW) -> str:
    """The short text verdict: one line, then the blocking findings and reasons."""
    lines = [f"clarity: {data['summary']}"]
    if data["allowed"]:
        return lines[0]
    result = data["result"]
    index = {
        (f["code"], f["start"], f["end"]): (f, where)
        for where, key in (("subject", "subject_findings"), ("text", "findings"))
        for f in result.get(key, [])
    }
    refs = data["blocking"]
    for ref in refs[:show]:
        found = index.get((ref["code"], ref["start"], ref["end"]))
        if found is None:
            continue
        f, where = found
        place = f"subject:{f['column']}" if where == "subject" else f"{f['line']}:{f['column']}"
        lines.append(f"  {place}: {f['code']} [{f['severity']}] {f['message']}")
    if len(refs) > show:
        lines.append(f"  … and {len(refs) - show} more (clarity hook --format json lists them)")
    for reason in data["reasons"]:
        if reason["kind"] != "severity":
            lines.append(f"  {reason['message']}")
    if data.get("rewritten") is not None and data["rewritten"] != result["text"]:
        lines.append("  safe fixes are available: `clarity fix` applies them")
    return "\n".join(lines)
