"""Evaluate the politeness model by the paper's protocol and print a markdown table.

    python -m clarity.tone.evaluate --corpus ../shared/corpora/stanford-politeness
    CLARITY_POLITENESS_CORPUS=../shared/corpora/stanford-politeness python -m clarity.tone.evaluate

Protocol (Danescu-Niculescu-Mizil et al. 2013): the requests in the top and bottom
quartile of ``Normalized Score`` within each domain are polite / impolite; accuracy
*in-domain* by 10-fold stratified cross-validation within the domain, and
*cross-domain* by training on the other domain and testing on this one. ``C`` is chosen
by an inner 5-fold cross-validation on each training set only (nested CV), for the
model and the baseline alike; test folds never influence any choice.

The baseline is a word n-gram bag of words: TF-IDF over scikit-learn's default
tokenizer (1-2-grams) and a logistic regression.

Each corpus is parsed and counted once. The n-gram vocabularies are built without
labels over all requests; every fitted step then keeps only the n-grams seen in its
own training rows, so each fold is exactly what fitting on the fold alone would give.

``--report`` (on by default from the command line) adds what a user sees: for the same
outer folds, the fold's model is exported to its JSON form, loaded as a
:class:`~clarity.tone.model.ToneModel` and put in place of the shipped one, and each
held-out request goes through :func:`clarity.check`; ``report.tone.politeness`` at or
above 0.5 counts as polite. Two rows: the report's message score (the model's view of
the whole message) and, for comparison, the word-weighted mean of the report's
per-sentence scores (what the report gave before).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]
from sklearn.base import BaseEstimator, TransformerMixin  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
    CountVectorizer,
    TfidfTransformer,
)
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import GridSearchCV, StratifiedKFold  # type: ignore[import-untyped]
from sklearn.pipeline import Pipeline  # type: ignore[import-untyped]

from clarity.tone.corpus import DOMAIN_TITLES, Domain, prepare
from clarity.tone.model import ToneModel
from clarity.tone.ngrams import NgramSettings
from clarity.tone.train import SEED, column_selector, encode, payload, search_C

#: The report rows' names (see :func:`report_in_domain`).
REPORT_ROW = "clarity.check report.tone.politeness (message), in-domain"
SENTENCE_MEAN_ROW = "clarity.check word-weighted mean of sentence scores, in-domain"

BASELINE_C_GRID: tuple[float, ...] = (0.3, 1.0, 3.0, 10.0, 30.0)

IntArray = npt.NDArray[np.int64]
SearchFactory = Callable[[], Any]


@dataclass
class Score:
    """Accuracy of one setting on one domain's quartile requests."""

    accuracy: float
    fold_std: float | None
    chosen_C: list[float]
    #: Requests the setting gave no score (counted as misses): for the report, those
    #: with no words (``"????"``), whose ``report.tone`` is ``None``.
    unscored: int = 0

    def cell(self) -> str:
        spread = f" ± {100 * self.fold_std:.1f}" if self.fold_std is not None else ""
        return f"{100 * self.accuracy:.1f}%{spread}"


@dataclass
class Setting:
    """One table row: a model, trained in- or cross-domain, scored on each domain."""

    name: str
    scores: dict[str, Score] = field(default_factory=dict)


@dataclass
class Evaluation:
    settings: list[Setting]
    #: domain -> (true labels, out-of-fold P(polite)) of the model in-domain.
    out_of_fold: dict[str, tuple[IntArray, npt.NDArray[np.float64]]]
    folds: int
    inner_folds: int
    seed: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": (
                f"top vs bottom quartile of Normalized Score per domain; in-domain "
                f"{self.folds}-fold stratified CV, cross-domain train-on-other; C by inner "
                f"{self.inner_folds}-fold CV on training data only; seed {self.seed}"
            ),
            "accuracy": {
                s.name: {d: round(v.accuracy, 4) for d, v in s.scores.items()}
                for s in self.settings
            },
        }


class SeenInTraining(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Keep the count columns that are non-zero in the training rows (the fold's vocabulary)."""

    def fit(self, x: Any, y: Any = None) -> SeenInTraining:
        keep = np.flatnonzero(np.asarray((x != 0).sum(axis=0)).ravel())
        self.selector_ = column_selector(keep, x.shape[1])
        return self

    def transform(self, x: Any) -> Any:
        return x @ self.selector_


def baseline_search(folds: int = 5, seed: int = SEED) -> Any:
    """TF-IDF + logistic regression on n-gram counts, ``C`` chosen by inner CV."""
    pipeline = Pipeline(
        [
            ("vocabulary", SeenInTraining()),
            ("tfidf", TfidfTransformer()),
            ("lr", LogisticRegression(solver="liblinear", dual=True, random_state=0)),
        ]
    )
    return GridSearchCV(
        pipeline,
        {"lr__C": list(BASELINE_C_GRID)},
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
    )


def _chosen_C(search: Any) -> float:
    params = search.best_params_
    return float(params.get("C", params.get("lr__C")))


@dataclass
class Matrices:
    """One domain's requests, encoded for the model and for the baseline."""

    model: Any
    baseline: Any
    labels: IntArray
    #: The n-gram vocabulary of the ``model`` columns (shared by every domain).
    vocabulary: Sequence[str] = ()


def encode_domains(domains: Sequence[Domain]) -> dict[str, Matrices]:
    """Encode every domain over shared, label-free vocabularies (counted once)."""
    encoded = encode([e for d in domains for e in d.examples])
    model = encoded.matrix
    counts = CountVectorizer(ngram_range=(1, 2)).fit_transform(
        [t for d in domains for t in d.texts]
    )
    out: dict[str, Matrices] = {}
    start = 0
    for d in domains:
        rows = slice(start, start + len(d.labels))
        out[d.name] = Matrices(model[rows], counts[rows], d.labels, encoded.vocabulary)
        start = rows.stop
    return out


def in_domain(
    x: Any,
    y: IntArray,
    make_search: SearchFactory,
    folds: int,
    seed: int,
    extra: Sequence[tuple[Any, IntArray]] = (),
) -> tuple[Score, npt.NDArray[np.float64]]:
    """Nested stratified k-fold accuracy of ``(x, y)``; the ``extra`` data joins each
    training set (never a test fold). Returns the score and out-of-fold P(polite)."""
    proba = np.zeros(len(y))
    accuracies: list[float] = []
    chosen: list[float] = []
    outer = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in outer.split(np.zeros(len(y)), y):
        train_x = sp.vstack([x[train_idx], *(e[0] for e in extra)]).tocsr()
        train_y = np.concatenate([y[train_idx], *(e[1] for e in extra)])
        search = make_search().fit(train_x, train_y)
        proba[test_idx] = search.predict_proba(x[test_idx])[:, 1]
        accuracies.append(float(np.mean(search.predict(x[test_idx]) == y[test_idx])))
        chosen.append(_chosen_C(search))
    return Score(float(np.mean(accuracies)), float(np.std(accuracies)), chosen), proba


def cross_domain(
    train: tuple[Any, IntArray], test: tuple[Any, IntArray], make_search: SearchFactory
) -> Score:
    """Train (with inner-CV ``C``) on ``train``, report accuracy on all of ``test``."""
    search = make_search().fit(*train)
    accuracy = float(np.mean(search.predict(test[0]) == test[1]))
    return Score(accuracy, None, [_chosen_C(search)])


@contextmanager
def checking_with(model: ToneModel) -> Iterator[None]:
    """Let :func:`clarity.check` (everything that calls ``ToneModel.load()``) use
    ``model`` instead of the shipped model, for the duration of the block."""
    import clarity.tone.model as module

    with mock.patch.object(module, "_default_model", lambda: model):
        yield


def report_in_domain(
    texts: Sequence[str],
    x: Any,
    y: IntArray,
    vocabulary: Sequence[str],
    make_search: SearchFactory,
    folds: int,
    seed: int,
) -> tuple[Score, Score]:
    """Accuracy of ``clarity.check(text).tone`` on held-out requests, by the outer folds
    of :func:`in_domain` (same seed, same splits, same inner choice of ``C``).

    Returns the score of the report's message politeness and of the word-weighted mean
    of its sentence scores. The fold's model goes through its JSON export, so it is
    scored exactly as a shipped model would be.
    """
    from clarity.engine import Checker
    from clarity.nlp import load_pipeline
    from clarity.tone.report import word_weighted_mean

    checker = Checker()
    nlp = load_pipeline()
    settings = NgramSettings()
    message: dict[str, list[float]] = {"acc": [], "C": []}
    mean: list[float] = []
    unscored = 0
    outer = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in outer.split(np.zeros(len(y)), y):
        search = make_search().fit(x[train_idx], y[train_idx])
        exported = json.loads(json.dumps(payload(search.best_estimator_, vocabulary, settings)))
        fold_model = ToneModel(exported)
        by_message: list[int] = []
        by_mean: list[int] = []
        with checking_with(fold_model):
            for i in test_idx:
                tone = checker.check(texts[i]).tone
                if tone is None:  # no words to judge: count as a miss
                    unscored += 1
                    by_message.append(1 - int(y[i]))
                    by_mean.append(1 - int(y[i]))
                    continue
                by_message.append(int(tone.politeness >= 0.5))
                doc = nlp(texts[i])
                spans = [
                    doc.char_span(s.start, s.end, alignment_mode="expand") for s in tone.sentences
                ]
                probs = [s.politeness for s in tone.sentences]
                by_mean.append(int(word_weighted_mean([s for s in spans if s], probs) >= 0.5))
        truth = y[test_idx]
        message["acc"].append(float(np.mean(np.array(by_message) == truth)))
        message["C"].append(_chosen_C(search))
        mean.append(float(np.mean(np.array(by_mean) == truth)))
    chosen = message["C"]
    return (
        Score(float(np.mean(message["acc"])), float(np.std(message["acc"])), chosen, unscored),
        Score(float(np.mean(mean)), float(np.std(mean)), chosen, unscored),
    )


def evaluate(
    domains: Sequence[Domain],
    seed: int = SEED,
    folds: int = 10,
    inner_folds: int = 5,
    baseline: bool = True,
    pooled_training: bool = True,
    report: bool = False,
) -> Evaluation:
    """Run the protocol on parsed ``domains`` (see :func:`clarity.tone.corpus.prepare`);
    ``report`` adds the rows of :func:`report_in_domain`."""
    start = time.perf_counter()
    data = encode_domains(domains)

    def model() -> Any:
        return search_C(folds=inner_folds, seed=seed)

    def bow() -> Any:
        return baseline_search(folds=inner_folds, seed=seed)

    rows: dict[str, Setting] = {}

    def record(name: str, domain: str, score: Score) -> None:
        rows.setdefault(name, Setting(name)).scores[domain] = score

    out_of_fold: dict[str, tuple[IntArray, npt.NDArray[np.float64]]] = {}
    for name, this in data.items():
        others = [m for n, m in data.items() if n != name]
        if baseline:
            score, _ = in_domain(this.baseline, this.labels, bow, folds, seed)
            record("Bag of words (TF-IDF 1-2-grams), in-domain", name, score)
        score, proba = in_domain(this.model, this.labels, model, folds, seed)
        record("clarity model, in-domain", name, score)
        out_of_fold[name] = (this.labels, proba)
        if report:
            texts = next(d.texts for d in domains if d.name == name)
            whole, mean = report_in_domain(
                texts, this.model, this.labels, this.vocabulary, model, folds, seed
            )
            record(REPORT_ROW, name, whole)
            record(SENTENCE_MEAN_ROW, name, mean)
        if pooled_training and others:
            extra = [(m.model, m.labels) for m in others]
            score, _ = in_domain(this.model, this.labels, model, folds, seed, extra)
            record("clarity model, in-domain + other domain in training", name, score)
        for other in others:
            if baseline:
                score = cross_domain(
                    (other.baseline, other.labels), (this.baseline, this.labels), bow
                )
                record("Bag of words, cross-domain", name, score)
            score = cross_domain((other.model, other.labels), (this.model, this.labels), model)
            record("clarity model, cross-domain", name, score)
    return Evaluation(
        list(rows.values()), out_of_fold, folds, inner_folds, seed, time.perf_counter() - start
    )


def to_markdown(result: Evaluation) -> str:
    """The accuracy table: one row a setting, one column a test domain."""
    names = list(result.out_of_fold)
    header = "| setting | " + " | ".join(f"{DOMAIN_TITLES.get(n, n)}" for n in names) + " |"
    lines = [header, "| --- | " + " | ".join("---:" for _ in names) + " |"]
    for setting in result.settings:
        cells = [setting.scores[n].cell() if n in setting.scores else "" for n in names]
        lines.append(f"| {setting.name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        f"Accuracy on the top/bottom-quartile requests (± = standard deviation over the "
        f"{result.folds} outer folds); C chosen by inner {result.inner_folds}-fold CV; "
        f"seed {result.seed}; {result.seconds:.0f} s."
    )
    unscored = {
        n: setting.scores[n].unscored
        for setting in result.settings
        if setting.name == REPORT_ROW
        for n in names
        if n in setting.scores
    }
    if any(unscored.values()):
        counts = ", ".join(f"{DOMAIN_TITLES.get(n, n)} {c}" for n, c in unscored.items())
        lines.append(
            f"The report rows count as misses the requests with no words, which get no "
            f"report.tone ({counts})."
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m clarity.tone.evaluate",
        description="Evaluate clarity's politeness model (prints a markdown table).",
    )
    corpus = os.environ.get("CLARITY_POLITENESS_CORPUS")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(corpus) if corpus else None,
        required=not corpus,
        help="stanford-politeness folder (default: $CLARITY_POLITENESS_CORPUS)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--inner-folds", type=int, default=5)
    parser.add_argument(
        "--report",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also score clarity.check's report.tone on the held-out requests (default: on)",
    )
    args = parser.parse_args(argv)
    domains = prepare(args.corpus, NgramSettings())
    result = evaluate(
        domains,
        seed=args.seed,
        folds=args.folds,
        inner_folds=args.inner_folds,
        report=args.report,
    )
    print(to_markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
