"""clarity's tests.

This file makes ``tests`` a regular package so that ``python -m tests.fuzz`` finds this
folder: textstat 0.7.8 installs a top-level package named ``tests`` into
site-packages, and a regular package anywhere on ``sys.path`` wins over a folder
without ``__init__.py``. The test modules import their helpers as top-level modules
(``from live_server import ...``, ``from _exe import ...``), so this folder is put on
``sys.path`` too, as pytest did before this file existed.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)
