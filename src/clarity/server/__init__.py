"""``clarity serve``: the check engine as a local HTTP JSON service, and its page.

Needs the ``server`` extra (``pip install ".[server]"`` from a checkout: Starlette and
uvicorn). This module holds only the defaults, so the CLI can show them without them.
See :mod:`clarity.server.app` and ``docs/presend.md``.
"""

from __future__ import annotations

#: Default limit of a request body, in bytes (``--max-body``).
MAX_BODY = 1024 * 1024
#: Default time limit of one request's check, in seconds (``--timeout``).
TIMEOUT = 10.0
#: Default time limit to receive a request's body, in seconds (408 beyond).
BODY_TIMEOUT = 10.0
#: Default number of worker processes that run the checks (``--workers``): at least
#: two, so that one long draft never holds up the short ones.
WORKERS = 2
#: Default port of ``clarity serve``.
PORT = 8765

__all__ = ["BODY_TIMEOUT", "MAX_BODY", "PORT", "TIMEOUT", "WORKERS"]
