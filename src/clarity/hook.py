"""``clarity hook``: a pre-send gate for mail clients, help-desk tools and git.

Reads one draft (standard input, or a file), judges it with :func:`clarity.presend`
(or a running service with ``--server``) and prints a short verdict. Exit 0 to send,
1 to hold the message, 2 when the input cannot be read (one line on standard error).

The input is, with ``--kind auto`` (the default):

* JSON when it starts with ``{``: ``{"text": ..., "incoming": ..., "audience": ...,
  "subject": ...}`` (other fields are ignored, so a tool can pipe its own payload);
* an e-mail message when it starts with a header block (``From:``, ``Subject:``...):
  its body is the draft, quoted history and signatures are ignored, and in a patch
  sent by ``git send-email`` everything from the ``---`` line before the diff on;
* plain text otherwise (quoted history and signatures are ignored there too).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from clarity.errors import ClarityError, InputError
from clarity.inputs import MAX_BYTES, decode, looks_binary
from clarity.types import Region

KINDS = ("auto", "text", "eml", "json")
#: Blocking findings listed in the text output; the rest are counted.
SHOW = 10
#: The ``---`` line of a ``git format-patch`` message, when a diff follows it.
_PATCH = re.compile(r"^---[ \t]*$(?=[\s\S]*^diff --git )", re.MULTILINE)


@dataclass(frozen=True)
class HookInput:
    """The draft the hook judges, and what came with it."""

    text: str
    incoming: str | None = None
    audience: str | None = None
    subject: str | None = None
    regions: tuple[Region, ...] = ()
    kind: str = "text"


@dataclass(frozen=True)
class HookOptions:
    """``clarity hook``'s options."""

    fmt: str = "text"
    kind: str = "auto"
    audience: str | None = None
    policy: Mapping[str, Any] = field(default_factory=dict)
    config_file: Path | None = None
    server: str | None = None
    max_bytes: int = MAX_BYTES


def _regions(text: str, found: tuple[Region, ...] = ()) -> tuple[Region, ...]:
    """Regions as ``clarity check`` finds them, plus a patch's diff (``git send-email``)."""
    try:
        from clarity.sources import detect_regions, merge_regions
    except ImportError:  # pragma: no cover - sources not installed
        regions = list(found)
    else:
        regions = merge_regions([*found, *detect_regions(text)], text)
    m = _PATCH.search(text)
    if m is not None:
        end = len(text.rstrip("\n"))
        regions = [r for r in regions if r.end <= m.start()]
        if end > m.start():
            regions.append(Region(m.start(), end, "code"))
    return tuple(regions)


def _from_json(data: bytes) -> HookInput:
    try:
        obj = json.loads(decode(data, "<stdin>", "utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"<stdin>: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise InputError("<stdin>: invalid JSON: nested too deeply") from None
    if not isinstance(obj, dict):
        raise InputError('<stdin>: JSON input must be an object: {"text": ..., "incoming": ...}')
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError('<stdin>: JSON input needs "text", a string')
    for key in ("incoming", "audience", "subject"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise InputError(f'<stdin>: JSON "{key}" must be a string or null')
    return HookInput(
        text=text,
        incoming=obj.get("incoming"),
        audience=obj.get("audience"),
        subject=obj.get("subject"),
        regions=_regions(text),
        kind="json",
    )


def _from_eml(data: bytes, source: str) -> HookInput:
    from clarity.sources.mail import parse_eml

    body = parse_eml(data, source)
    return HookInput(
        text=body.text,
        subject=body.subject,
        regions=_regions(body.text, tuple(body.regions)),
        kind="eml",
    )


def parse_input(data: bytes, kind: str = "auto", source: str = "<stdin>") -> HookInput:
    """The draft in ``data``; raises :class:`~clarity.errors.InputError` when it cannot
    be read (binary, malformed JSON, not UTF-8...)."""
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})")
    if looks_binary(data) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source}: looks like a binary file, not text")
    if data.startswith(b"From ") and kind in ("auto", "eml"):
        data = data.partition(b"\n")[2]  # an mbox "From " line (git format-patch)
    if kind == "auto":
        head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if head == b"{":
            kind = "json"
        else:
            try:
                from clarity.sources import looks_like_mail
            except ImportError:  # pragma: no cover - sources not installed
                kind = "text"
            else:
                kind = "eml" if looks_like_mail(data) else "text"
    if kind == "json":
        return _from_json(data)
    if kind == "eml":
        return _from_eml(data, source)
    text = decode(data, source).replace("\r\n", "\n")
    return HookInput(text=text, regions=_regions(text))


def read_input(stream: IO[bytes], max_bytes: int = MAX_BYTES) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"<stdin>: input is over the {max_bytes:,}-byte limit")
    return data


def verdict_dict(draft: HookInput, options: HookOptions) -> dict[str, Any]:
    """The verdict as JSON-ready data: local, or from the service at ``options.server``."""
    from clarity.config import load_config
    from clarity.presend import load_policy, presend
    from clarity.render import SCHEMA_VERSION

    audience = options.audience or draft.audience
    start = Path.cwd()
    config = load_config(start, file=options.config_file, audience=audience)
    policy = load_policy(start, file=options.config_file, **options.policy)
    if options.server:
        from clarity.client import Client, settings_of

        payload: dict[str, Any] = {
            "text": draft.text,
            "incoming": draft.incoming,
            "subject": draft.subject,
            "regions": [r.to_dict() for r in draft.regions],
            "source": "<stdin>",
            "config": settings_of(config),
            "policy": policy.to_dict(),
        }
        data = Client(options.server).post("/v1/presend", payload)
        data.pop("target_grade", None)
        return data
    verdict = presend(
        draft.text,
        incoming=draft.incoming,
        policy=policy,
        config=config,
        regions=draft.regions,
        subject=draft.subject,
        source="<stdin>",
    )
    return {"schema_version": SCHEMA_VERSION, **verdict.to_dict()}


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


def run_hook(
    stream: IO[bytes], options: HookOptions, out: IO[str] | None = None, err: IO[str] | None = None
) -> int:
    """Judge the draft in ``stream``; returns the exit code (0 send, 1 hold, 2 error)."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        draft = parse_input(read_input(stream, options.max_bytes), options.kind)
        data = verdict_dict(draft, options)
    except ClarityError as exc:
        err.write(f"clarity: error: {exc}\n")
        return 2
    except Exception as exc:  # a gate must answer; never a traceback
        err.write(f"clarity: error: internal error ({type(exc).__name__}); please report it\n")
        return 2
    if options.fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render_verdict(data) + "\n")
    out.flush()
    return 0 if data["allowed"] else 1
