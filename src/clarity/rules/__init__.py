"""clarity's rules, one module per family. Importing this package registers them.

* ``J``, jargon (lexicon terms, acronyms, rare words): :mod:`clarity.rules.jargon`
* ``W``, wordiness (wordy phrases): :mod:`clarity.rules.wordiness`
* ``R``, readability (long, hard, passive sentences; grade): :mod:`clarity.rules.readability`
* ``T``, tone: the draft's wording (blame, condescension, curt commands, shouting...):
  :mod:`clarity.rules.tone`; the e-mail's greeting and sign-off:
  :mod:`clarity.rules.courtesy`; the politeness model: :mod:`clarity.rules.politeness`;
  the reply to the customer's message (acknowledgement, unanswered questions):
  :mod:`clarity.rules.reply`. Their word lists: :mod:`clarity.rules.wordlists`.
* ``S``, the subject line (length, capitals, reply chains): :mod:`clarity.rules.subject`
"""

from __future__ import annotations

from clarity.rules import (
    courtesy,
    jargon,
    politeness,
    readability,
    reply,
    subject,
    tone,
    wordiness,
)
from clarity.rules.base import REGISTRY, Context, Hit, Rule, all_rules, find_rule, rule

__all__ = [
    "REGISTRY",
    "Context",
    "Hit",
    "Rule",
    "all_rules",
    "courtesy",
    "find_rule",
    "jargon",
    "politeness",
    "readability",
    "reply",
    "rule",
    "subject",
    "tone",
    "wordiness",
]
