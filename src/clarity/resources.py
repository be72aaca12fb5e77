"""The per-pipeline resources rules share: matchers built once from the data files."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clarity import lexicon
from clarity.lexicon import Phrase, Term, TonePhrase
from clarity.matching import EntryMatcher, phrase_matcher, term_matcher

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass(frozen=True)
class Resources:
    terms: EntryMatcher[Term]
    term_by_key: dict[str, Term]
    phrases: EntryMatcher[Phrase]
    acronyms: dict[str, str]
    common_acronyms: frozenset[str]
    passive_exceptions: frozenset[str]
    tone_phrases: EntryMatcher[TonePhrase]
    curt_verbs: frozenset[str]
    empathy_phrases: tuple[str, ...]

    def known_term(self, word: str) -> Term | None:
        """The lexicon entry written exactly ``word`` (exact case first), if any."""
        return self.term_by_key.get(word) or self.term_by_key.get(word.lower())


@functools.lru_cache(maxsize=8)
def build(nlp: Language, extra_lexicons: tuple[Path, ...] = ()) -> Resources:
    """Matchers for ``nlp``'s vocabulary; cached per pipeline and lexicon set."""
    terms = lexicon.lexicon(extra_lexicons)
    by_key = {t.term if t.exact_case else t.term.lower(): t for t in terms}
    return Resources(
        terms=term_matcher(nlp, terms),
        term_by_key=by_key,
        phrases=phrase_matcher(nlp, lexicon.wordy_phrases()),
        acronyms=lexicon.acronym_expansions(),
        common_acronyms=lexicon.common_acronyms(),
        passive_exceptions=lexicon.passive_exceptions(),
        tone_phrases=EntryMatcher(
            nlp, ((p.phrase, False, "none", p) for p in lexicon.tone_phrases())
        ),
        curt_verbs=lexicon.curt_verbs(),
        empathy_phrases=lexicon.empathy_phrases(),
    )
