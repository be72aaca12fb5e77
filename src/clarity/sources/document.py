"""What a source yields: documents to check, and records that could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clarity.types import Region


@dataclass(frozen=True)
class Body:
    """The draft a reader found in a file or record, before region detection.

    ``regions`` are those the format itself shows (HTML markup); ``meta`` says where
    the text came from (headers, the ticket comment chosen...).
    """

    text: str
    subject: str | None = None
    regions: tuple[Region, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    #: The customer's message the draft answers, where the record holds it.
    incoming: str | None = None


@dataclass(frozen=True)
class Document:
    """One draft to check.

    ``text`` is the decoded body: every offset (findings, regions) indexes it.
    ``source`` names it in reports: a path, ``<stdin>``, or ``path:row N`` /
    ``path:line N`` for a record of a CSV / JSON Lines file. ``subject`` is checked by
    the subject rules (``S``). ``regions`` are the parts that are not the writer's own
    prose (see :mod:`clarity.sources.regions`). ``meta`` holds what the source knows
    besides: ``path`` (the file), ``kind``, headers, the ticket comment used, the row.
    """

    source: str
    text: str
    subject: str | None = None
    regions: tuple[Region, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BadRecord:
    """A file or record that cannot be read: where, and why (one line for the user)."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"
