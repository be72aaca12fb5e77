"""Train the politeness model and write it as JSON (training time only: needs scikit-learn).

    python -m clarity.tone.train --corpus ../shared/corpora/stanford-politeness \
        --out data/politeness_model.json

The classifier is a logistic regression over two blocks of features:

* word 1-2-grams (:mod:`clarity.tone.ngrams`) found in at least ``MIN_DF`` training
  requests, present or absent, each weighted by its
  naive-Bayes log-count ratio ``log(p_i / q_i)`` learnt from the training labels
  (Wang and Manning, 2012: "NBSVM"); ``p`` and ``q`` are the smoothed, normalised
  counts of requests with the n-gram among polite and impolite requests;
* the 0/1 politeness strategies of :mod:`clarity.tone.features`.

Everything learnt (vocabulary, log-count ratios, coefficients, intercept) is exported
as numbers; :class:`clarity.tone.model.ToneModel` predicts from them with numpy.
``C`` is chosen by stratified cross-validation on the training data only.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]
import sklearn  # type: ignore[import-untyped]
from sklearn.base import BaseEstimator, ClassifierMixin  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import GridSearchCV, StratifiedKFold  # type: ignore[import-untyped]

from clarity.tone.corpus import Domain, Example, pipeline_info, prepare
from clarity.tone.features import STRATEGY_NAMES
from clarity.tone.model import CLASSES, FORMAT, FORMAT_VERSION
from clarity.tone.ngrams import NgramSettings

SEED = 20130801
#: Candidate inverse regularisation strengths, searched by inner cross-validation.
C_GRID: tuple[float, ...] = (0.03, 0.1, 0.3, 1.0)
MIN_DF = 2
NB_ALPHA = 1.0
SIGNIFICANT_DIGITS = 12

FloatArray = npt.NDArray[np.float64]


def _terms_of(example: Example) -> tuple[str, ...]:
    return example.terms


@dataclass
class Encoded:
    """Examples as one sparse matrix: binary n-gram columns, then the strategy columns.

    The vocabulary is every n-gram of the encoded examples, learnt without labels, so it
    can be built once for a whole corpus; :class:`PolitenessClassifier` keeps only the
    n-grams frequent enough *in its training rows*, so cross-validation stays honest.
    """

    matrix: Any
    vocabulary: list[str]


def encode(examples: Sequence[Example], vocabulary: Sequence[str] | None = None) -> Encoded:
    """Encode ``examples`` over ``vocabulary`` (default: all their own n-grams)."""
    if vocabulary is None:
        vectorizer = CountVectorizer(analyzer=_terms_of, binary=True, dtype=np.float64)
        counts = vectorizer.fit_transform(examples)
        vocabulary = vectorizer.get_feature_names_out().tolist()
    else:
        vectorizer = CountVectorizer(
            analyzer=_terms_of, binary=True, dtype=np.float64, vocabulary=list(vocabulary)
        )
        counts = vectorizer.transform(examples)
    strategies = sp.csr_matrix(np.vstack([e.strategies for e in examples]))
    return Encoded(sp.hstack([counts, strategies]).tocsr(), list(vocabulary))


def column_selector(
    columns: npt.NDArray[np.int64], n_columns: int, scale: FloatArray | None = None
) -> Any:
    """A sparse ``(n_columns, len(columns))`` matrix: ``x @ it`` keeps ``columns`` of ``x``
    (in that order), each multiplied by ``scale`` (default 1)."""
    values = np.ones(len(columns)) if scale is None else scale
    return sp.csr_matrix(
        (values, (columns, np.arange(len(columns)))), shape=(n_columns, len(columns))
    )


class PolitenessClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """NB-weighted word n-grams plus politeness strategies, into a logistic regression.

    ``X`` is an :class:`Encoded` matrix (or rows of one): n-gram columns, then the
    ``len(STRATEGY_NAMES)`` strategy columns. ``fit`` keeps the n-grams present in at
    least ``min_df`` training rows (``keep_``), weights them by their log-count ratio
    (``ratios_``) and fits ``model_``.
    """

    def __init__(self, C: float = 0.1, min_df: int = MIN_DF, nb_alpha: float = NB_ALPHA) -> None:
        self.C = C
        self.min_df = min_df
        self.nb_alpha = nb_alpha

    def _features(self, x: Any) -> Any:
        return x @ self.projection_

    def fit(self, x: Any, y: Sequence[int] | npt.NDArray[np.int64]) -> PolitenessClassifier:
        labels = np.asarray(y)
        n_terms = x.shape[1] - len(STRATEGY_NAMES)
        terms = x[:, :n_terms]
        self.keep_ = np.flatnonzero(np.asarray(terms.sum(axis=0)).ravel() >= self.min_df)
        kept = terms @ column_selector(self.keep_, n_terms)
        polite = np.asarray(kept[labels == 1].sum(axis=0)).ravel() + self.nb_alpha
        impolite = np.asarray(kept[labels == 0].sum(axis=0)).ravel() + self.nb_alpha
        self.ratios_ = np.log((polite / polite.sum()) / (impolite / impolite.sum()))
        strategy_columns = np.arange(n_terms, x.shape[1])
        self.projection_ = column_selector(
            np.concatenate([self.keep_, strategy_columns]),
            x.shape[1],
            np.concatenate([self.ratios_, np.ones(len(strategy_columns))]),
        )
        self.model_ = LogisticRegression(C=self.C, solver="liblinear", dual=True, random_state=0)
        self.model_.fit(self._features(x), labels)
        self.classes_ = self.model_.classes_
        return self

    def decision_function(self, x: Any) -> FloatArray:
        return np.asarray(self.model_.decision_function(self._features(x)))

    def predict_proba(self, x: Any) -> FloatArray:
        return np.asarray(self.model_.predict_proba(self._features(x)))

    def predict(self, x: Any) -> npt.NDArray[np.int64]:
        return np.asarray(self.model_.predict(self._features(x)))

    def export(self, vocabulary: Sequence[str], settings: NgramSettings) -> dict[str, Any]:
        """Return the learnt numbers as the ``vectorizer`` and ``classifier`` JSON blocks."""
        return {
            "vectorizer": {
                **settings.to_dict(),
                "binary": True,
                "weighting": "naive-bayes log-count ratio",
                "min_df": self.min_df,
                "nb_alpha": self.nb_alpha,
                "vocabulary": [vocabulary[int(i)] for i in self.keep_],
                "term_weights": _rounded(self.ratios_),
            },
            "strategies": list(STRATEGY_NAMES),
            "classifier": {
                "type": "LogisticRegression",
                "solver": "liblinear (dual)",
                "C": self.C,
                "coef": _rounded(self.model_.coef_.ravel()),
                "intercept": _rounded(self.model_.intercept_)[0],
            },
        }


def payload(
    estimator: PolitenessClassifier, vocabulary: Sequence[str], settings: NgramSettings
) -> dict[str, Any]:
    """The loadable core of a model file: format, classes and the learnt numbers."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "description": (
            "P(polite) of a request, from the Stanford Politeness Corpus (top vs bottom "
            "quartile of Normalized Score per domain), trained on both domains' quartile "
            "requests."
        ),
        "classes": list(CLASSES),
        "positive_class": CLASSES[1],
        **estimator.export(vocabulary, settings),
    }


def _rounded(values: FloatArray) -> list[float]:
    return [float(f"{v:.{SIGNIFICANT_DIGITS}g}") for v in np.asarray(values, dtype=float)]


def search_C(grid: Sequence[float] = C_GRID, folds: int = 5, seed: int = SEED) -> Any:
    """A :class:`PolitenessClassifier` whose ``C`` is chosen by stratified k-fold CV."""
    return GridSearchCV(
        PolitenessClassifier(),
        {"C": list(grid)},
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        scoring="accuracy",
    )


def train(
    domains: Sequence[Domain],
    settings: NgramSettings,
    seed: int = SEED,
    folds: int = 10,
    evaluation: dict[str, Any] | None = None,
    model: str | None = None,
) -> dict[str, Any]:
    """Fit the shipped model on every domain's quartile requests; return the JSON payload."""
    encoded = encode([e for d in domains for e in d.examples])
    labels = np.concatenate([d.labels for d in domains])
    search = search_C(folds=folds, seed=seed).fit(encoded.matrix, labels)
    best: PolitenessClassifier = search.best_estimator_
    results = search.cv_results_
    scores = {
        f"C={c:g}": round(float(s), 4)
        for c, s in zip(results["param_C"], results["mean_test_score"], strict=True)
    }
    return {
        **payload(best, encoded.vocabulary, settings),
        "training": {
            "command": "python -m clarity.tone.train --corpus DIR --out FILE",
            "seed": seed,
            "data": [d.provenance() for d in domains],
            "requests": len(labels),
            "spacy_pipeline": pipeline_info(model),
            "versions": {
                "python": platform.python_version(),
                "scikit-learn": sklearn.__version__,
                "numpy": np.__version__,
                "spacy": _spacy_version(),
            },
        },
        "cross_validation": {
            "protocol": (
                f"{folds}-fold stratified CV on the pooled quartile requests, "
                "accuracy per candidate C; the best C is refit on all of them"
            ),
            "accuracy_by_C": scores,
            "best_C": float(search.best_params_["C"]),
            "best_accuracy": round(float(search.best_score_), 4),
        },
        "evaluation": evaluation,
    }


def _spacy_version() -> str:
    from importlib.metadata import version

    return version("spacy")


def write_model(payload: dict[str, Any], out: Path) -> None:
    """Write ``payload`` as compact, stable JSON (one key a line at the top level)."""
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in payload.items()]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    from clarity.tone.evaluate import evaluate, to_markdown

    parser = argparse.ArgumentParser(
        prog="python -m clarity.tone.train", description="Train clarity's politeness model."
    )
    parser.add_argument("--corpus", type=Path, required=True, help="stanford-politeness folder")
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--skip-evaluation", action="store_true", help="do not run the (slower) evaluation"
    )
    args = parser.parse_args(argv)
    settings = NgramSettings()
    domains = prepare(args.corpus, settings)
    evaluation = None
    if not args.skip_evaluation:
        result = evaluate(domains, seed=args.seed)
        evaluation = result.to_dict()
        print(to_markdown(result))
    payload = train(domains, settings, seed=args.seed, evaluation=evaluation)
    write_model(payload, args.out)
    size = args.out.stat().st_size
    print(
        f"wrote {args.out} ({size / 1024:.0f} KiB, {len(payload['vectorizer']['vocabulary'])} "
        f"n-grams, C={payload['classifier']['C']:g}, pooled CV accuracy "
        f"{payload['cross_validation']['best_accuracy']:.3f})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
