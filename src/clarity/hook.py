"""``clarity hook``: a pre-send gate for mail clients, help-desk tools and git.

Reads one draft (standard input, or a file), judges it with :func:`clarity.presend`
(or a running service with ``--server``) and prints a short verdict. Exit 0 to send,
1 to hold the message, 2 when the input cannot be read (one line on standard error).

The input is read by :func:`clarity.sources.read`, exactly as ``clarity check -``
reads standard input; with ``--kind auto`` (the default) it is:

* JSON when it is an object ``{...}``: ``{"text": ..., "incoming": ..., "audience": ...,
  "subject": ...}`` (other fields are ignored, so a tool can pipe its own payload);
* an e-mail message when it starts with a header block (``From:``, ``Subject:``...):
  its body is the draft, quoted history and signatures are ignored, and in a patch
  sent by ``git send-email`` everything from the ``---`` line before the diff on;
* plain text otherwise (quoted history and signatures are ignored there too).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from clarity.draft import Draft
from clarity.errors import ClarityError, InputError
from clarity.inputs import MAX_BYTES, read_stream
from clarity.render.verdict import render_verdict

KINDS = ("auto", "text", "eml", "json")


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
    encoding: str | None = None


def parse_input(
    data: bytes, kind: str = "auto", source: str = "<stdin>", encoding: str | None = None
) -> Draft:
    """The draft in ``data``, read by :func:`clarity.sources.read` as ``clarity check``
    reads standard input; raises :class:`~clarity.errors.InputError` when it cannot be
    read (binary, malformed JSON, not UTF-8...)."""
    from clarity.sources import read_one

    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})")
    return read_one(data, None if kind == "auto" else kind, source=source, encoding=encoding)


def verdict_dict(draft: Draft, options: HookOptions) -> dict[str, Any]:
    """The verdict as JSON-ready data: local, or from the service at ``options.server``."""
    from clarity.config import load_config
    from clarity.presend import load_policy
    from clarity.runner import backend_for

    audience = options.audience or draft.audience
    start = Path.cwd()
    config = load_config(start, file=options.config_file, audience=audience)
    policy = load_policy(start, file=options.config_file, **options.policy)
    return backend_for(config, options.server).presend(draft, policy)


def run_hook(
    stream: IO[bytes],
    options: HookOptions,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
    source: str = "<stdin>",
) -> int:
    """Judge the draft in ``stream`` (named ``source``); returns the exit code (0 send,
    1 hold, 2 error)."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        data_in = read_stream(stream, source, options.max_bytes)
        draft = parse_input(data_in, options.kind, source, encoding=options.encoding)
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
