"""Where the tone model's data files live.

Uses ``clarity.data.data_path`` when the package provides it; until then (and as a
fallback) looks for ``clarity/data`` inside an installed wheel, then for the
repository's ``data/`` folder two levels above the package (an editable install).
"""

from __future__ import annotations

import importlib
import importlib.resources
from pathlib import Path


def _fallback_dir() -> Path:
    packaged = importlib.resources.files("clarity") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data"


def data_file(name: str) -> Path:
    """Return the path of the shipped data file ``name`` (it may not exist)."""
    try:
        module = importlib.import_module("clarity.data")
    except ModuleNotFoundError as exc:
        if exc.name != "clarity.data":
            raise
    else:
        finder = getattr(module, "data_path", None)
        if callable(finder):
            return Path(finder(name))
    return _fallback_dir() / name
