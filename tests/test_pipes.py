"""clarity's pipeline components: the fast attribute ruler annotates exactly as
spaCy's own, and line breaks start sentences where they end a thought."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from clarity import nlp as clarity_nlp
from clarity import pipes

ROOT = Path(__file__).resolve().parents[1]


def corpus() -> list[str]:
    paths = [
        *sorted((ROOT / "benchmarks" / "data").glob("*.txt")),
        *sorted((ROOT / "tests" / "data" / "plain_replies").glob("*.txt")),
        *sorted((ROOT / "examples").glob("*.txt")),
    ]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    texts += [
        "I ain't gonna do it, y'all. Wanna try? She'd've gone. Lemme see, gotta go.",
        "  \n\n Leading spaces, tabs\tand 'quotes' \"here\" -- dashes... 3.5 GB!",
    ]
    return texts


@pytest.fixture(scope="module")
def reference() -> Language:
    """spaCy's own pipeline for the model, with its attribute ruler (loaded once)."""
    return spacy.load(clarity_nlp.resolve_model(), exclude=list(clarity_nlp.EXCLUDED_PIPES))


def test_fast_attribute_ruler_matches_spacy(reference: Language) -> None:
    ours = clarity_nlp.load_pipeline()
    assert pipes.FAST_RULER in ours.pipe_names and "attribute_ruler" not in ours.pipe_names
    compared = 0
    texts = corpus()
    # In batches (nlp.pipe): the same annotations as one call per text, in less time.
    for doc, doc_ours in zip(reference.pipe(texts), ours.pipe(texts), strict=True):
        for a, b in zip(doc, doc_ours, strict=True):
            if a.tag_ != b.tag_ or a.dep_ != b.dep_:
                continue  # sentence starts at line breaks may change the parse
            assert (a.pos_, str(a.morph), a.lemma_) == (b.pos_, str(b.morph), b.lemma_), a.text
            compared += 1
    assert compared > 5000


def test_fast_attribute_ruler_on_identical_input(reference: Language) -> None:
    """Both rulers on the very same tagged and parsed doc give the same annotations."""
    ruler = reference.get_pipe("attribute_ruler")
    fast = pipes.FastAttributeRuler(reference, ruler)
    with reference.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        docs = list(reference.pipe(corpus()))
    for doc in docs:
        expected = ruler(doc.copy())
        got = fast(doc.copy())
        assert [(t.pos_, str(t.morph), t.lemma_) for t in expected] == [
            (t.pos_, str(t.morph), t.lemma_) for t in got
        ]


def test_remembering_lemmatizer_on_identical_input(reference: Language) -> None:
    """spaCy's lemmatizer and clarity's, on the very same annotated docs, give the same
    lemmas: the first time a word is seen and when it is remembered."""
    lemmatizer = reference.get_pipe("lemmatizer")
    ours = pipes.RememberingLemmatizer(reference, lemmatizer)
    with reference.select_pipes(disable=["lemmatizer"]):
        docs = list(reference.pipe(corpus()))
    tokens = 0
    for _ in range(2):  # the second round reads every lemma from memory
        for doc in docs:
            expected = lemmatizer(doc.copy())
            got = ours(doc.copy())
            assert [t.lemma_ for t in got] == [t.lemma_ for t in expected]
            tokens += len(doc)
    assert ours.memo and tokens > 10000
    assert clarity_nlp.load_pipeline().pipe_names[-1] == pipes.FAST_LEMMATIZER


def test_remembering_lemmatizer_across_memory_zones() -> None:
    """The service checks each draft in a ``memory_zone``, whose new words the string
    store forgets at its end: a lemma remembered from one zone is still readable in
    the next (a remembered hash alone would point at a forgotten string)."""
    nlp = clarity_nlp.load_pipeline()
    text = "The zorblaxes were quuxing the flimbertons."
    with nlp.memory_zone():
        first = [t.lemma_ for t in nlp(text)]
    with nlp.memory_zone():
        again = [t.lemma_ for t in nlp(text)]
    assert again == first and "flimberton" in first
