"""The tone part of a report: the model's politeness per sentence and for the message.

The message's politeness is the model's P(polite) of the message as a whole: the
features of its tone sentences together, as the model saw each whole request in
training (an n-gram or a strategy counts once, wherever it occurs; runs of adjacent
sentences are read as one span, so the word pairs across their boundaries count too).
On held-out Stanford requests this scores 85.2% / 67.5% (Wikipedia / Stack Exchange;
the model on the raw request 85.4% / 67.6%), where the word-weighted mean of the
sentences' scores gave 76.7% / 64.9% (``python -m clarity.tone.evaluate``;
docs/tone-model.md). Each sentence
keeps its own score, to explain the total and to point at a curt sentence: rule T011
reports that one on its own. Greetings and sign-offs count; quoted history and
signatures do not (the engine passes only the writer's sentences).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
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


def _runs(sentences: Sequence[Span]) -> list[tuple[Span, range]]:
    """``sentences`` joined into maximal spans of adjacent sentences (in order), each
    with the indices of its sentences."""
    runs: list[tuple[Span, range]] = []
    for k, sent in enumerate(sentences):
        last = runs[-1][0] if runs else None
        if last is not None and last.doc is sent.doc and last.end == sent.start:
            runs[-1] = (sent.doc[last.start : sent.end], range(runs[-1][1].start, k + 1))
        else:
            runs.append((sent, range(k, k + 1)))
    return runs


def message_contributions(
    model: ToneModel,
    sentences: Sequence[Span],
    scored: Sequence[tuple[float, list[Contribution]]] | None = None,
) -> tuple[float, list[Contribution]]:
    """P(polite) of the message made of ``sentences``, read as one request, and the
    contribution of every feature present (its first occurrence), strongest first.

    The model's features are present or absent per request, so the message's log-odds
    are the intercept plus each feature found anywhere in it, once. ``scored``, when
    given, are the sentences' own scores (:func:`sentence_contributions`): the message's
    features are put together from them (:meth:`ToneModel.combine`), not read again.
    """
    found: dict[str, Contribution] = {}
    for run, members in _runs(sentences):
        if scored is None:
            features = model.explain(run, top=None)
        elif len(members) == 1:
            features = scored[members.start][1]
        else:
            features = model.combine(
                run, [sentences[k] for k in members], [scored[k][1] for k in members]
            )
        for c in features:
            found.setdefault(c.feature, c)
    contributions = sorted(found.values(), key=lambda c: (-abs(c.contribution), c.feature))
    z = model.intercept + sum(c.contribution for c in contributions)
    return float(1.0 / (1.0 + np.exp(-z))), contributions


def word_weighted_mean(sentences: Sequence[Span], probabilities: Sequence[float]) -> float:
    """The mean of the sentences' P(polite) weighted by their words (the message score
    clarity used to report; kept to measure against in :mod:`clarity.tone.evaluate`)."""
    weights = [max(1, sum(1 for t in s if t.is_alpha)) for s in sentences]
    return float(np.average(probabilities, weights=weights))


def tone_report(
    text: str,
    sentences: Sequence[Span],
    scored: Sequence[tuple[float, list[Contribution]]],
    model: ToneModel | None = None,
) -> ToneReport | None:
    """The report's ``tone``: the message's politeness from ``model`` (default: the
    shipped one) over all ``sentences`` together, and the per-sentence ``scored``
    probabilities and contributions to explain it; ``None`` without sentences."""
    if not sentences:
        return None
    if model is None:
        from clarity.tone.model import ToneModel

        model = ToneModel.load()
    probs = [p for p, _ in scored]
    politeness, _ = message_contributions(model, sentences, scored)
    # The strongest contribution of each feature at each place, by its reported
    # (rounded) weight; phrases are made only for the few reported.
    best: dict[tuple[str, int | None], tuple[float, Contribution]] = {}
    for _, contributions in scored:
        for c in contributions:
            weight = round(c.contribution, 3)
            key = (c.feature, c.start)
            if key not in best or abs(weight) > abs(best[key][0]):
                best[key] = (weight, c)
    ranked = sorted(best.values(), key=lambda wc: -abs(wc[0]))
    polite = tuple(islice((_phrase(text, c) for w, c in ranked if w > 0), TOP_PHRASES))
    impolite = tuple(islice((_phrase(text, c) for w, c in ranked if w < 0), TOP_PHRASES))
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
