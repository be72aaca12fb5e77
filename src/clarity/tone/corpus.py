"""The Stanford Politeness Corpus, labelled the paper's way, parsed once.

Used at training and evaluation time only (it needs no scikit-learn either). Requests
in the top quartile of ``Normalized Score`` within their domain are *polite* (label 1),
those in the bottom quartile *impolite* (label 0); the middle half is left out, as in
Danescu-Niculescu-Mizil et al. (2013).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from clarity.errors import DataError
from clarity.tone.features import DocOrSpan, extract, strategy_vector
from clarity.tone.ngrams import NgramSettings

#: Domain name -> file name in the corpus folder.
DOMAIN_FILES: dict[str, str] = {
    "wikipedia": "wikipedia.train.csv",
    "stack-exchange": "stack-exchange.train.csv",
}
DOMAIN_TITLES: dict[str, str] = {"wikipedia": "Wikipedia", "stack-exchange": "Stack Exchange"}


@dataclass(eq=False)
class Example:
    """One request as the classifier sees it: its n-grams and its strategy vector."""

    terms: tuple[str, ...]
    strategies: npt.NDArray[np.float64]

    @classmethod
    def of(cls, span: DocOrSpan, settings: NgramSettings) -> Example:
        """The example for a parsed ``Doc`` or ``Span``, as the model would see it."""
        found = extract(span, settings)
        return cls(tuple(t.text for t in found.terms), strategy_vector(found.hits))


@dataclass(eq=False)
class Domain:
    """The quartile requests of one domain, with the provenance of their file."""

    name: str
    file: str
    sha256: str
    rows: int
    texts: list[str]
    labels: npt.NDArray[np.int64]
    thresholds: tuple[float, float]
    examples: list[Example] = field(default_factory=list)

    def provenance(self) -> dict[str, object]:
        return {
            "domain": self.name,
            "file": self.file,
            "sha256": self.sha256,
            "rows": self.rows,
            "quartile_requests": len(self.texts),
            "polite": int(self.labels.sum()),
            "impolite": int(len(self.labels) - self.labels.sum()),
            "bottom_quartile_max": self.thresholds[0],
            "top_quartile_min": self.thresholds[1],
        }


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of the file at ``path``."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def load_domain(path: Path, name: str) -> Domain:
    """Read one corpus CSV and keep its top- and bottom-quartile requests."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise DataError(f"cannot read politeness corpus file {path}: {exc}") from exc
    if not rows or "Request" not in rows[0] or "Normalized Score" not in rows[0]:
        raise DataError(f"{path} lacks the columns 'Request' and 'Normalized Score'")
    scores = np.array([float(row["Normalized Score"]) for row in rows])
    low, high = (float(q) for q in np.quantile(scores, [0.25, 0.75]))
    keep = [i for i, s in enumerate(scores) if s <= low or s >= high]
    return Domain(
        name=name,
        file=path.name,
        sha256=sha256_file(path),
        rows=len(rows),
        texts=[rows[i]["Request"] for i in keep],
        labels=np.array([1 if scores[i] >= high else 0 for i in keep], dtype=np.int64),
        thresholds=(low, high),
    )


def load_corpus(corpus_dir: Path, domains: Sequence[str] = tuple(DOMAIN_FILES)) -> list[Domain]:
    """Read the quartile requests of each domain in ``domains`` (no parsing yet)."""
    missing = [DOMAIN_FILES[d] for d in domains if not (corpus_dir / DOMAIN_FILES[d]).is_file()]
    if missing:
        raise DataError(f"politeness corpus folder {corpus_dir} lacks: {', '.join(missing)}")
    return [load_domain(corpus_dir / DOMAIN_FILES[d], d) for d in domains]


def featurize(
    domains: Sequence[Domain],
    settings: NgramSettings,
    model: str | None = None,
    batch_size: int = 64,
) -> None:
    """Parse every request once (``nlp.pipe``) and fill each domain's ``examples``."""
    from clarity.nlp import load_pipeline

    nlp = load_pipeline(model)
    for domain in domains:
        domain.examples = [
            Example.of(doc, settings) for doc in nlp.pipe(domain.texts, batch_size=batch_size)
        ]


def prepare(
    corpus_dir: Path, settings: NgramSettings | None = None, model: str | None = None
) -> list[Domain]:
    """Load and parse the corpus: the one expensive step, done once per run."""
    domains = load_corpus(corpus_dir)
    featurize(domains, settings or NgramSettings(), model)
    return domains


def pipeline_info(model: str | None = None) -> dict[str, str]:
    """Name and version of the spaCy pipeline the features come from."""
    from clarity.nlp import load_pipeline

    meta = load_pipeline(model).meta
    return {
        "name": f"{meta.get('lang', '')}_{meta.get('name', '')}",
        "version": str(meta.get("version", "")),
    }


__all__ = [
    "DOMAIN_FILES",
    "DOMAIN_TITLES",
    "Domain",
    "Example",
    "featurize",
    "load_corpus",
    "load_domain",
    "pipeline_info",
    "prepare",
    "sha256_file",
]
