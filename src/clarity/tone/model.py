"""The politeness model at check time: JSON weights, predicted with numpy.

``data/politeness_model.json`` holds everything :mod:`clarity.tone.train` learnt: the
n-gram settings and vocabulary, each n-gram's naive-Bayes weight, the strategy names,
the logistic-regression coefficients and intercept, and the provenance (training data
hashes, library versions, cross-validated scores). Nothing here imports scikit-learn.

For a ``Doc`` or ``Span`` with features ``x`` (n-gram present: its weight ``r_i``;
strategy present: 1), ``P(polite) = 1 / (1 + exp(-(b + sum_i coef_i * x_i)))``; the
terms ``coef_i * x_i`` are the contributions :meth:`ToneModel.explain` reports.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt
from spacy.tokens import Doc, Span

from clarity.data import data_path
from clarity.errors import DataError
from clarity.tokens import doc_tokens, span_text
from clarity.tone.features import STRATEGIES, StrategyHit, strategy_hits
from clarity.tone.ngrams import (
    DEFAULT_TOKEN_PATTERN,
    NgramSettings,
    compiled_pattern,
    known_terms,
)

FORMAT = "clarity.tone.politeness"
FORMAT_VERSION = 1
CLASSES: tuple[str, str] = ("impolite", "polite")
MODEL_FILE = "politeness_model.json"

DocOrSpan: TypeAlias = Doc | Span
FloatArray = npt.NDArray[np.float64]


class Contribution(NamedTuple):
    """How much one feature moved a prediction, in log-odds of "polite".

    ``feature`` is ``"ngram:<words>"`` or ``"strategy:<name>"``; ``start``/``end`` are
    character offsets into ``doc.text`` of (the first occurrence of) the words that
    fired it, or ``None`` for a feature with no place in the text.
    """

    feature: str
    contribution: float
    start: int | None
    end: int | None


class ToneModel:
    """A linear politeness classifier loaded from its JSON weights."""

    def __init__(self, payload: Mapping[str, Any]) -> None:
        if payload.get("format") != FORMAT or payload.get("format_version") != FORMAT_VERSION:
            raise DataError(
                f"not a {FORMAT} model, version {FORMAT_VERSION}: "
                f"{payload.get('format')!r} {payload.get('format_version')!r}"
            )
        try:
            vectorizer = payload["vectorizer"]
            classifier = payload["classifier"]
            self.settings = NgramSettings.from_dict(vectorizer)
            vocabulary: list[str] = list(vectorizer["vocabulary"])
            term_weights = np.asarray(vectorizer["term_weights"], dtype=np.float64)
            self.strategies: tuple[str, ...] = tuple(payload["strategies"])
            coef = np.asarray(classifier["coef"], dtype=np.float64)
            self.intercept = float(classifier["intercept"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"malformed politeness model: {exc!r}") from exc
        unknown = set(self.strategies) - set(STRATEGIES)
        if unknown:
            raise DataError(f"politeness model uses unknown strategies: {sorted(unknown)}")
        if len(term_weights) != len(vocabulary) or len(coef) != len(vocabulary) + len(
            self.strategies
        ):
            raise DataError("politeness model: vocabulary, weights and coefficients disagree")
        self.payload = payload
        self.vocabulary: dict[str, int] = {term: i for i, term in enumerate(vocabulary)}
        #: The first words of the vocabulary's n-grams of two words or more.
        self.openers: frozenset[str] = frozenset(t.split(" ", 1)[0] for t in vocabulary if " " in t)
        #: Log-odds added by each n-gram when present: coefficient times NB weight.
        self.term_effects: FloatArray = coef[: len(vocabulary)] * term_weights
        #: Log-odds added by each strategy when present.
        self.strategy_effects: FloatArray = coef[len(vocabulary) :]
        #: Each n-gram's effect, as a Python float (read per sentence at check time).
        self._term_effect_of: dict[str, float] = dict(
            zip(vocabulary, self.term_effects.tolist(), strict=True)
        )

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, path: str | Path | None = None) -> ToneModel:
        """Load the model at ``path``; ``None`` gives the shipped model (loaded once)."""
        if path is None:
            return _default_model()
        path = Path(path)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataError(f"cannot load politeness model {path}: {exc}") from exc
        return cls(payload)

    @property
    def provenance(self) -> dict[str, Any]:
        """Training data hashes, versions and cross-validated scores from the JSON."""
        keys = ("training", "cross_validation", "evaluation")
        return {k: self.payload.get(k) for k in keys}

    # --------------------------------------------------------------- prediction

    def _active(self, span: DocOrSpan) -> list[Contribution]:
        """Every feature present in ``span``, with its contribution and first offsets
        (the features :func:`clarity.tone.features.extract` finds, looked up in the
        vocabulary as they are made)."""
        offset, text = span_text(span)
        active: list[Contribution] = []
        effect_of = self._term_effect_of
        for term in known_terms(text, self.settings, effect_of, offset, self.openers):
            active.append(
                Contribution(f"ngram:{term.text}", effect_of[term.text], term.start, term.end)
            )
        first: dict[str, StrategyHit] = {}
        for h in strategy_hits(span):
            first.setdefault(h.strategy, h)
        for j, strategy in enumerate(self.strategies):
            hit = first.get(strategy)
            if hit is not None:
                effect = float(self.strategy_effects[j])
                active.append(Contribution(f"strategy:{strategy}", effect, hit.start, hit.end))
        return active

    def combine(
        self, run: Span, sentences: Sequence[Span], parts: Sequence[Sequence[Contribution]]
    ) -> list[Contribution]:
        """The features of ``run``, a span made of the adjacent ``sentences``, from each
        sentence's own (``parts``, as :meth:`explain` with ``top=None`` gives them): what
        :meth:`explain` of ``run`` finds, without reading it again.

        A feature present in several sentences counts once, at its first place; the
        word pairs across each boundary between two sentences are added. When a word
        of the n-gram tokens runs across a boundary ("done.)" read as one token), or
        the settings are not word pairs, ``run`` is read whole instead."""
        settings = self.settings
        text = doc_tokens(run.doc).text
        pattern = compiled_pattern(settings.token_pattern)
        pairs = settings.ngram_range[0] <= 2 <= settings.ngram_range[1]
        simple = settings.token_pattern == DEFAULT_TOKEN_PATTERN and settings.ngram_range[1] <= 2
        if not simple or len(sentences) != len(parts):
            return self._active(run)
        first: dict[str, Contribution] = {}
        for contributions in parts:
            for c in contributions:
                known = first.get(c.feature)
                if known is None or (c.start or 0, c.end or 0) < (known.start or 0, known.end or 0):
                    first[c.feature] = c
        for before, after in itertools.pairwise(sentences):
            end, start = before.end_char, after.start_char
            if end == start and _same_token_class(text[end - 1], text[start]):
                return self._active(run)  # a token runs across the boundary
            if not pairs:
                continue
            last = None
            for last in pattern.finditer(text, before.start_char, end):  # noqa: B007
                pass
            head = pattern.search(text, start, after.end_char)
            if last is None or head is None:
                continue
            a, b = last.group(), head.group()
            gram = f"{a.lower()} {b.lower()}" if settings.lowercase else f"{a} {b}"
            effect = self._term_effect_of.get(gram)
            name = f"ngram:{gram}"
            known = first.get(name)
            if effect is not None and (known is None or (known.start or 0) > last.start()):
                first[name] = Contribution(name, effect, last.start(), head.end())
        return list(first.values())

    def decision_function(self, docs_or_spans: DocOrSpan | Iterable[DocOrSpan]) -> FloatArray:
        """Log-odds of "polite" for each ``Doc``/``Span`` (one value for a single one)."""
        items = _as_list(docs_or_spans)
        return np.array(
            [self.intercept + sum(c.contribution for c in self._active(s)) for s in items],
            dtype=np.float64,
        )

    def predict_proba(self, docs_or_spans: DocOrSpan | Iterable[DocOrSpan]) -> FloatArray:
        """P(polite) for each ``Doc``/``Span``, as a 1-D array (length 1 for a single one)."""
        return _sigmoid(self.decision_function(docs_or_spans))

    def explain(self, span: DocOrSpan, top: int | None = 5) -> list[Contribution]:
        """The ``top`` features (``None``: all) that moved ``span``'s score most, either way.

        Sorted by absolute contribution (log-odds); positive means "more polite".
        Offsets point into ``span.doc.text`` (``doc.text`` for a ``Doc``).
        """
        active = self._active(span)
        active.sort(key=lambda c: (-abs(c.contribution), c.feature))
        return active if top is None else active[:top]

    def score(self, span: DocOrSpan) -> tuple[float, list[Contribution]]:
        """P(polite) of ``span`` and all its contributions (as :meth:`explain` with
        ``top=None``), from one feature extraction."""
        contributions = self.explain(span, top=None)
        logit = self.intercept + sum(c.contribution for c in contributions)
        return float(_sigmoid(np.array([logit]))[0]), contributions

    def strongest_features(self, n: int = 10) -> tuple[list[tuple[str, float]], ...]:
        """The ``n`` most polite and ``n`` most impolite features, by log-odds when present."""
        names = [f"ngram:{t}" for t in self.vocabulary] + [f"strategy:{s}" for s in self.strategies]
        effects = np.concatenate([self.term_effects, self.strategy_effects])
        order = np.argsort(effects, kind="stable")
        polite = [(names[i], float(effects[i])) for i in order[::-1][:n]]
        impolite = [(names[i], float(effects[i])) for i in order[:n]]
        return polite, impolite


def _as_list(docs_or_spans: DocOrSpan | Iterable[DocOrSpan]) -> Sequence[DocOrSpan]:
    if isinstance(docs_or_spans, (Doc, Span)):
        return [docs_or_spans]
    return list(docs_or_spans)


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    out[~positive] = exp_z / (1.0 + exp_z)
    return out


@functools.lru_cache(maxsize=1)
def _default_model() -> ToneModel:
    path = data_path(MODEL_FILE)
    if not path.is_file():
        raise DataError(
            f"the politeness model {path} is missing; rebuild it with "
            "python -m clarity.tone.train --corpus DIR --out data/politeness_model.json"
        )
    return ToneModel.load(path)


def _same_token_class(a: str, b: str) -> bool:
    """Whether two characters side by side fall in one n-gram token (two word
    characters, or two punctuation marks: :data:`DEFAULT_TOKEN_PATTERN`)."""
    if a.isspace() or b.isspace():
        return False
    return (re.match(r"\w", a) is not None) == (re.match(r"\w", b) is not None)
