"""Every row of every shipped word list loads, and every entry is matched in a sentence."""

from __future__ import annotations

import clarity
from clarity import lexicon
from clarity.lexicon import CATEGORIES


def test_lexicon_size_and_coverage() -> None:
    terms = lexicon.builtin_terms()
    assert len(terms) >= 500
    per_category = {c: sum(t.category == c for t in terms) for c in CATEGORIES}
    assert all(n >= 25 for n in per_category.values()), per_category
    keys = [t.term if t.exact_case else t.term.lower() for t in terms]
    assert len(keys) == len(set(keys)), "duplicate lexicon terms"
    assert all(t.plain for t in terms), "every term needs a plain alternative"


def test_every_lexicon_term_is_matched(checker: clarity.Checker) -> None:
    terms = lexicon.builtin_terms()
    sentences = [f"Please check the {t.term} now." for t in terms]
    missed = []
    for term, sentence, report in zip(terms, sentences, checker.check_many(sentences), strict=True):
        start = sentence.index(term.term)
        end = start + len(term.term)
        hit = [f for f in report.findings if f.code == "J001" and f.start <= start and f.end >= end]
        if not hit:
            missed.append(term.term)
    assert not missed, f"lexicon terms not matched in a sentence: {missed}"


def test_inflected_and_variant_forms_are_matched(checker: clarity.Checker) -> None:
    report = checker.check("We are flushing the DNS caches and patched the e-mail servers.")
    texts = {f.text for f in report.findings if f.code == "J001"}
    assert any("DNS caches" in t for t in texts), texts
    # A two-word term written with a hyphen ("power cycle" in the lexicon).
    hyphened = checker.check("I power-cycled the router twice.")
    assert "power-cycled" in {f.text for f in hyphened.findings if f.code == "J001"}


def test_wordy_phrases_load_and_match() -> None:
    checker = clarity.Checker(select=["W001", "W002"])
    phrases = lexicon.wordy_phrases()
    assert len([p for p in phrases if not p.formal]) >= 150
    assert len([p for p in phrases if p.formal]) >= 50
    # A phrase that stands for "please" means it only before an order.
    sentences = [
        f"We said {p.phrase} {'send it ' if p.replacements[:1] == ('please',) else ''}here."
        for p in phrases
    ]
    missed = []
    for phrase, report in zip(phrases, checker.check_many(sentences), strict=True):
        if not any(
            f.code == ("W002" if phrase.formal else "W001")
            and f.text.strip(" ,\t").lower() == phrase.phrase
            for f in report.findings
        ):
            missed.append(phrase.phrase)
    assert not missed, f"wordy phrases not matched: {missed}"


def test_acronym_lists() -> None:
    expansions = lexicon.acronym_expansions()
    assert len(expansions) >= 200
    common = lexicon.common_acronyms()
    assert {"PDF", "USB", "OK"} <= common
    assert not {"VPN", "SSO", "DNS"} & common
    for term in lexicon.builtin_terms():
        if term.is_acronym and term.exact_case:  # WHOIS, CAPTCHA: words, not acronyms
            assert term.term in expansions, f"{term.term} has no expansion in acronyms.csv"


def test_inflection_table_is_up_to_date() -> None:
    """data/inflections.json must be regenerated when a word list changes."""
    from clarity import datagen

    assert datagen.main([]) == 0, "run: python -m clarity.datagen --write"


def test_tone_phrases_load_and_match(checker: clarity.Checker) -> None:
    phrases = lexicon.tone_phrases()
    assert len(phrases) >= 100
    kinds = {p.kind for p in phrases}
    assert kinds == set(lexicon.TONE_KINDS)
    nlp = checker.nlp
    from clarity import resources

    matcher = resources.build(nlp, ()).tone_phrases
    missed = []
    for phrase in phrases:
        doc = nlp.make_doc(f"Well {phrase.phrase} here")
        if not any(m.entry == phrase for m in matcher(doc)):
            missed.append(phrase.phrase)
    assert not missed, f"tone phrases not matched: {missed}"
    assert lexicon.curt_verbs() and lexicon.empathy_phrases()
