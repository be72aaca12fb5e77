"""The one draft type every face hands to the engine.

A :class:`Draft` is what :func:`clarity.sources.read` makes of a file, standard input,
a hook payload or a service request, and what :meth:`clarity.engine.Checker.check_draft`
checks. ``regions=None`` means "not known yet": the engine detects quoted history,
signatures and code itself, so ``clarity.check(text)`` and ``clarity check file`` see
the same draft.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field, replace
from typing import Any

from clarity.types import Region, Report

__all__ = ["Draft", "clean_text", "surrogate_notice"]

#: A lone UTF-16 surrogate: not a character, cannot be encoded, crashes writers.
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, int]:
    """``text`` with lone surrogates replaced by U+FFFD (same length, so every offset
    holds), and how many were replaced."""
    return _SURROGATE.subn("\ufffd", text)


def surrogate_notice(count: int, what: str = "") -> str:
    """The notice for ``count`` replaced characters (in ``what``, when named)."""
    where = f"{what}: " if what else ""
    return f"{where}replaced {count} unencodable character{'s' * (count != 1)} with U+FFFD"


@dataclass(frozen=True)
class Draft:
    """One draft to check, and what came with it.

    * ``text``: the writer's draft; every offset (findings, regions) indexes it;
    * ``subject``: the message's subject line, checked by the ``S`` rules;
    * ``regions``: the parts that are not the writer's own prose (quoted history,
      signatures, code); ``None`` lets the engine detect them, ``()`` means none;
    * ``incoming``: the customer's message it replies to (tone rules T012/T013);
    * ``source``: how reports name it: a path, ``<stdin>``, ``path:row 3``...;
    * ``audience``: who reads it, when the input says so (a hook payload, a request);
    * ``meta``: what the reader knows besides (``path``, ``kind``, headers, the row,
      and ``notices`` about what was changed on the way in; what
      :mod:`clarity.sources.writeback` needs to write a fixed text back: ``kind``,
      ``row`` / ``column`` / ``line``).
    """

    text: str
    subject: str | None = None
    regions: tuple[Region, ...] | None = None
    incoming: str | None = None
    source: str | None = None
    audience: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def replace(self, **changes: Any) -> Draft:
        return replace(self, **changes)

    @property
    def kind(self) -> str | None:
        """How it was read (``text``, ``eml``, ``json``, ``csv``...), if known."""
        kind = self.meta.get("kind")
        return str(kind) if kind is not None else None

    @property
    def notices(self) -> tuple[str, ...]:
        """What was changed on the way in (e.g. unencodable characters replaced)."""
        return tuple(self.meta.get("notices", ()))

    def noted(self, report: Report) -> Report:
        """``report`` with this draft's notices first in ``extra["notices"]``."""
        if not self.notices:
            return report
        notices = [*self.notices, *report.extra.get("notices", ())]
        return dataclasses.replace(report, extra={**report.extra, "notices": notices})
