"""The tone part of a report: the model's politeness per sentence and for the message.

The message's politeness is the word-weighted mean of its sentences' P(polite): a
curt sentence in a long friendly reply pulls it down in proportion to its length,
and rule T011 reports that sentence on its own. Greetings and sign-offs count; quoted
history and signatures do not (the engine passes only the writer's sentences).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from clarity.limits import IMPOLITE_BELOW, POLITE_FROM
from clarity.types import TonePhrase, ToneReport, ToneSentence

if TYPE_CHECKING:
    from spacy.tokens import Span

    from clarity.tone.model import Contribution, ToneModel

#: How many phrases to report each way.
TOP_PHRASES = 5


def label_for(politeness: float) -> str:
    if politeness >= POLITE_FROM:
        return "polite"
    if politeness < IMPOLITE_BELOW:
        return "impolite"
    return "neutral"


def _phrase(text: str, c: Contribution) -> TonePhrase:
    shown = text[c.start : c.end] if c.start is not None and c.end is not None else ""
    name = c.feature.split(":", 1)[-1].replace("_", " ")
    return TonePhrase(
        text=shown or name,
        feature=c.feature,
        weight=round(c.contribution, 3),
        start=c.start,
        end=c.end,
    )


def sentence_contributions(
    model: ToneModel, sentences: Sequence[Span]
) -> list[tuple[float, list[Contribution]]]:
    """For each sentence: P(polite) and every feature's contribution (one extraction)."""
    out = []
    for sent in sentences:
        contributions = model.explain(sent, top=1_000_000)
        z = model.intercept + sum(c.contribution for c in contributions)
        out.append((float(1.0 / (1.0 + np.exp(-z))), contributions))
    return out


def tone_report(
    text: str,
    sentences: Sequence[Span],
    scored: Sequence[tuple[float, list[Contribution]]],
) -> ToneReport | None:
    """The report's ``tone`` from per-sentence scores; ``None`` without sentences."""
    if not sentences:
        return None
    weights = [max(1, sum(1 for t in s if t.is_alpha)) for s in sentences]
    probs = [p for p, _ in scored]
    politeness = float(np.average(probs, weights=weights))
    best: dict[str, TonePhrase] = {}
    for _, contributions in scored:
        for c in contributions:
            phrase = _phrase(text, c)
            key = f"{c.feature}@{c.start}"
            if key not in best or abs(phrase.weight) > abs(best[key].weight):
                best[key] = phrase
    ranked = sorted(best.values(), key=lambda p: -abs(p.weight))
    polite = tuple(p for p in ranked if p.weight > 0)[:TOP_PHRASES]
    impolite = tuple(p for p in ranked if p.weight < 0)[:TOP_PHRASES]
    return ToneReport(
        politeness=round(politeness, 3),
        label=label_for(politeness),
        sentences=tuple(
            ToneSentence(s.start_char, s.end_char, round(p, 3))
            for s, p in zip(sentences, probs, strict=True)
        ),
        polite_phrases=polite,
        impolite_phrases=impolite,
    )
