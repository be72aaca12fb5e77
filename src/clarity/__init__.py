"""clarity: plain-language checks for help-desk replies.

The check engine (and with it spaCy, the rules and the word lists) is imported when
first used: ``import clarity``, ``clarity --version`` and the thin client
(``clarity check --server``) do not pay for it.

>>> import clarity
>>> report = clarity.check("Please flush your DNS cache.")   # doctest: +SKIP
>>> [f.code for f in report.findings]                          # doctest: +SKIP
['J001']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clarity.__about__ import __version__
from clarity.config import AUDIENCES, Config, load_config
from clarity.draft import Draft
from clarity.errors import ClarityError, ConfigError, DataError, InputError, ModelNotFoundError
from clarity.presend import Policy, Verdict, load_policy, presend
from clarity.types import (
    Applicability,
    Category,
    Edit,
    Finding,
    Fix,
    Readability,
    Region,
    Report,
    SentenceScore,
    Severity,
)

if TYPE_CHECKING:
    from clarity.engine import Checker, FixResult, check, rewrite
    from clarity.rules import all_rules

#: Names imported from their module when first used (see the module docstring).
_LAZY = {
    "Checker": "clarity.engine",
    "FixResult": "clarity.engine",
    "check": "clarity.engine",
    "rewrite": "clarity.engine",
    "all_rules": "clarity.rules",
}

__all__ = [
    "AUDIENCES",
    "Applicability",
    "Category",
    "Checker",
    "ClarityError",
    "Config",
    "ConfigError",
    "DataError",
    "Draft",
    "Edit",
    "Finding",
    "Fix",
    "FixResult",
    "InputError",
    "ModelNotFoundError",
    "Policy",
    "Readability",
    "Region",
    "Report",
    "SentenceScore",
    "Severity",
    "Verdict",
    "__version__",
    "all_rules",
    "audit",
    "audit_partition",
    "check",
    "load_config",
    "load_policy",
    "presend",
    "rewrite",
]


def __getattr__(name: str) -> Any:
    """The engine's names (:data:`_LAZY`), and ``clarity.audit`` and
    ``clarity.audit_partition``, imported when first used: ``import clarity`` never
    imports spaCy or Dask (see docs/audit.md and docs/performance.md)."""
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in ("audit", "audit_partition"):
        module = importlib.import_module("clarity.audit")
        return module if name == "audit" else module.audit_partition
    raise AttributeError(f"module 'clarity' has no attribute {name!r}")
