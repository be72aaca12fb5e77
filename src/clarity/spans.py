"""Sets of character spans with look-ups by bisection.

Rules ask "is this offset inside a term / a region?" once per token, and the fix engine
once per edit: a linear scan each time would make them quadratic in the text's length.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

__all__ = ["Intervals"]


class Intervals:
    """Half-open intervals, merged and sorted, for O(log n) look-ups (rules ask once
    per token, so a linear scan each time would make a rule quadratic)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def contains(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.ends, start + 1)  # first interval ending after start
        return i < len(self.starts) and self.starts[i] < end
