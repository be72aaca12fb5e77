"""clarity's tests.

This file makes ``tests`` a regular package so that ``python -m tests.fuzz`` finds this
folder: textstat 0.7.8 installs a top-level package named ``tests`` into
site-packages, and a regular package on ``sys.path`` wins over a folder without
``__init__.py``. The test modules import their helpers as top-level modules
(``from _exe import ...``): pytest puts this folder on ``sys.path``
(``pythonpath`` in ``pyproject.toml``).
"""
