"""The 0-100 score ranks replies the way a reader would, over labelled replies.

Over ``benchmarks/quality/dev_d.jsonl`` (60 help-desk replies written and labelled by
people who never ran clarity): the mean score of the replies fine to send is above
that of the replies with a tone problem and of those with a jargon problem, and most
jargon-heavy replies score below the median fine one.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

import clarity

SET = Path(__file__).resolve().parents[1] / "benchmarks" / "quality" / "dev_d.jsonl"


def test_fine_replies_score_above_rude_and_jargon_heavy_ones() -> None:
    items = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()]
    items = [i for i in items if i["audience"] == "customer"]
    drafts = [clarity.Draft(i["reply"], incoming=i["customer"]) for i in items]
    scores = [r.score for r in clarity.Checker().check_many(drafts)]

    def of(keep: Callable[[dict[str, Any]], bool]) -> list[int]:
        return [s for s, i in zip(scores, items, strict=True) if keep(i)]

    fine = of(lambda i: i["fine_to_send"])
    tone = of(lambda i: "tone" in i["problems"])
    jargon = of(lambda i: "jargon" in i["problems"])
    assert len(fine) >= 20 and len(tone) >= 5 and len(jargon) >= 5
    assert statistics.mean(fine) > statistics.mean(tone) + 5, (fine, tone)
    assert statistics.mean(fine) > statistics.mean(jargon) + 10, (fine, jargon)
    median = statistics.median(fine)
    assert sum(s < median for s in jargon) >= 0.8 * len(jargon), (median, jargon)
