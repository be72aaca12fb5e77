"""clarity's rules, one module per family. Importing this package registers them.

* ``J``, jargon (lexicon terms, acronyms, rare words): :mod:`clarity.rules.jargon`
* ``W``, wordiness (wordy phrases): :mod:`clarity.rules.wordiness`
* ``R``, readability (long, hard, passive sentences; grade): :mod:`clarity.rules.readability`
* ``T``, tone (blame, condescension, curt commands, shouting...): :mod:`clarity.rules.tone`
* ``S``, the subject line (length, capitals, reply chains): :mod:`clarity.rules.subject`
"""

from __future__ import annotations

from clarity.rules import jargon, readability, subject, tone, wordiness
from clarity.rules.base import REGISTRY, Context, Hit, Rule, all_rules, find_rule, rule

__all__ = [
    "REGISTRY",
    "Context",
    "Hit",
    "Rule",
    "all_rules",
    "find_rule",
    "jargon",
    "readability",
    "rule",
    "subject",
    "tone",
    "wordiness",
]
