"""notebooks/tone_model.ipynb runs headless from top to bottom.

By default it runs on every fourth request of the Stanford Politeness Corpus (the
real files, sampled; over a thousand requests in the quartiles): every cell runs and
draws its figures, but the parse of the corpus, most of the notebook's time, takes a
quarter as long. Set ``CLARITY_NOTEBOOK_FULL_CORPUS=1`` to run it on the whole corpus.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "tone_model.ipynb"
CORPUS = Path(
    os.environ.get("CLARITY_POLITENESS_CORPUS", REPO.parent / "shared/corpora/stanford-politeness")
)
SAMPLE_EVERY = 4


def sample_corpus(folder: Path, every: int) -> Path:
    """A copy of the corpus in ``folder`` with the header and every ``every``-th row."""
    from clarity.tone.corpus import DOMAIN_FILES

    for name in DOMAIN_FILES.values():
        with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
            header, *rows = csv.reader(handle)
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *rows[::every]])
    return folder


@pytest.mark.slow
def test_tone_model_notebook_executes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if not (CORPUS / "wikipedia.train.csv").is_file():
        message = (
            f"the Stanford Politeness Corpus is not at {CORPUS} "
            "(set CLARITY_POLITENESS_CORPUS to its folder)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    corpus = CORPUS
    if os.environ.get("CLARITY_NOTEBOOK_FULL_CORPUS") != "1":
        corpus = sample_corpus(tmp_path, SAMPLE_EVERY)
    monkeypatch.setenv("CLARITY_POLITENESS_CORPUS", str(corpus))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum(1 for o in outputs if "image/png" in o.get("data", {})) >= 2
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert f"corpus: {corpus.resolve()}" in text  # the corpus chosen here was read
    assert "same vocabulary as the shipped model" in text
