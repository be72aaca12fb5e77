"""notebooks/tone_model.ipynb runs headless from top to bottom."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "tone_model.ipynb"
CORPUS = Path(
    os.environ.get("CLARITY_POLITENESS_CORPUS", REPO.parent / "shared/corpora/stanford-politeness")
)


@pytest.mark.slow
def test_tone_model_notebook_executes(monkeypatch: pytest.MonkeyPatch) -> None:
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
    monkeypatch.setenv("CLARITY_POLITENESS_CORPUS", str(CORPUS))
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
    assert "same vocabulary as the shipped model" in text
