"""clarity: plain-language checks for help-desk replies.

>>> import clarity
>>> report = clarity.check("Please flush your DNS cache.")   # doctest: +SKIP
>>> [f.code for f in report.findings]                          # doctest: +SKIP
['J001']
"""

from __future__ import annotations

from clarity.__about__ import __version__
from clarity.config import AUDIENCES, Config, load_config
from clarity.draft import Draft
from clarity.engine import Checker, FixResult, check, rewrite
from clarity.errors import ClarityError, ConfigError, DataError, InputError, ModelNotFoundError
from clarity.presend import Policy, Verdict, load_policy, presend
from clarity.rules import all_rules
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
    "check",
    "load_config",
    "load_policy",
    "presend",
    "rewrite",
]
