"""The politeness model: its JSON, its word lists, its strategies and its predictions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from itertools import product
from pathlib import Path

import numpy as np
import pytest

from clarity.data import data_path
from clarity.nlp import load_pipeline
from clarity.tone import Contribution, ToneModel
from clarity.tone.features import (
    HEDGES_FILE,
    NEGATIVE_FILE,
    POSITIVE_FILE,
    STRATEGY_NAMES,
    load_word_list,
    strategy_hits,
)
from clarity.tone.model import MODEL_FILE
from clarity.tone.ngrams import NgramSettings, terms

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(
    os.environ.get("CLARITY_POLITENESS_CORPUS", REPO.parent / "shared/corpora/stanford-politeness")
)

POLITE = [
    "Could you please try restarting the laptop? Thanks so much!",
    "Hi Sam, thank you for your patience while we looked into this.",
    "Would you mind sending me a screenshot of the error when you get a chance?",
    "Sorry for the trouble! I think the update should fix it, but let me know if it doesn't.",
    "Thanks for reporting this. Could you tell me which browser you are using?",
    "Hello, I appreciate you flagging this so quickly. We will look into it today.",
    "Great question! Perhaps we could set up a quick call to go through it together?",
    "I was wondering if you could check whether the printer is switched on. Thank you!",
    "Thank you for your help, and apologies for the delay in getting back to you.",
    "If possible, would you be able to try the link again? I really appreciate it.",
]

RUDE = [
    "Read the FAQ. I already told you this.",
    "Why didn't you restart it like I said?",
    "This is obviously your mistake, not ours.",
    "You need to stop sending us the same useless question.",
    "What is wrong with you? Just follow the instructions.",
    "Stop asking. It's in the manual.",
    "Why would you even do that? That's a stupid idea.",
    "You should have checked the settings before complaining.",
    "Did you actually read my answer?",
    "No. That's wrong. Do it again.",
]

#: strategy -> (texts that must show it, texts that must not).
STRATEGY_EXAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "gratitude": (["Thanks for checking.", "I really appreciate it."], ["Check it."]),
    "apology": (["Sorry to bother you.", "Excuse me, is it on?"], ["Is it on?"]),
    "please": (["Could you please check?"], ["Please check.", "Check it."]),
    "please_start": (["Please check the cable."], ["Could you please check?"]),
    "greeting": (["Hi, is it working now?", "Hello Sam."], ["Is it working now?"]),
    "deference": (["Great catch, thank you."], ["That is not great."]),
    "hedges": (["I think it is the cable.", "It is kind of slow."], ["It is the cable."]),
    "factuality": (["In fact, it is the cable.", "Actually it works."], ["It works."]),
    "by_the_way": (["By the way, it works.", "btw it works"], ["It works."]),
    "direct_question": (["Why did you delete it?"], ["Could you delete it?", "Why not."]),
    "direct_start": (["So what happened?", "But it works."], ["It works, but slowly."]),
    "counterfactual_modal": (["Could you check it?", "Would you mind?"], ["Can you check?"]),
    "indicative_modal": (["Can you check it?", "Will you send it?"], ["Could you check it?"]),
    "indirect_request": (["Would you mind checking?", "I was wondering if it works."], ["Do it."]),
    "first_person_start": (["I checked the cable."], ["We checked it.", "Check my cable."]),
    "first_person_plural": (["We checked it.", "Our team will call."], ["I checked it."]),
    "first_person": (["Then I checked it.", "Send it to me."], ["I checked it."]),
    "second_person": (["Did you check it?"], ["You checked it.", "It works."]),
    "second_person_start": (["You checked it.", "Your laptop is ready."], ["Did you check?"]),
    "positive_lexicon": (["That is a helpful idea."], ["That is an idea."]),
    "negative_lexicon": (["That is a stupid idea."], ["That is an idea."]),
    "imperative": (["Read the manual.", "Just restart it."], ["You read the manual."]),
    "you_obligation": (["You should restart it.", "You need to update."], ["We should go."]),
    "exclamation": (["It works!"], ["It works."]),
    "negation": (["It does not work.", "I can't see it."], ["It works."]),
}


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_pipeline()


@pytest.fixture(scope="module")
def model() -> ToneModel:
    return ToneModel.load()


# ------------------------------------------------------------------ the JSON file


def test_model_json_has_weights_and_provenance() -> None:
    path = data_path(MODEL_FILE)
    assert path.stat().st_size < 2_000_000
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["format"] == "clarity.tone.politeness"
    assert payload["classes"] == ["impolite", "polite"]
    vectorizer = payload["vectorizer"]
    assert {"token_pattern", "lowercase", "ngram_range", "vocabulary", "term_weights"} <= set(
        vectorizer
    )
    assert vectorizer["ngram_range"] == [1, 2]
    n_features = len(vectorizer["vocabulary"]) + len(payload["strategies"])
    assert len(payload["classifier"]["coef"]) == n_features
    training = payload["training"]
    assert {d["file"] for d in training["data"]} == {
        "wikipedia.train.csv",
        "stack-exchange.train.csv",
    }
    for entry in training["data"]:
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        assert entry["polite"] > 0 and entry["impolite"] > 0
    assert training["versions"]["scikit-learn"]
    assert 0.5 < payload["cross_validation"]["best_accuracy"] <= 1.0
    accuracy = payload["evaluation"]["accuracy"]
    assert set(accuracy["clarity model, in-domain"]) == {"wikipedia", "stack-exchange"}


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"politeness corpus not found at {CORPUS}")
def test_model_json_hashes_match_the_corpus() -> None:
    from clarity.tone.corpus import sha256_file

    payload = json.loads(data_path(MODEL_FILE).read_text(encoding="utf-8"))
    for entry in payload["training"]["data"]:
        assert sha256_file(CORPUS / entry["file"]) == entry["sha256"]


def test_model_json_does_not_contain_corpus_sentences() -> None:
    vocabulary = json.loads(data_path(MODEL_FILE).read_text(encoding="utf-8"))["vectorizer"][
        "vocabulary"
    ]
    assert max(len(term.split()) for term in vocabulary) <= 2


# -------------------------------------------------------------------- word lists


@pytest.mark.parametrize("name", [HEDGES_FILE, POSITIVE_FILE, NEGATIVE_FILE])
def test_word_list_entries_load_and_match(nlp, name: str) -> None:  # type: ignore[no-untyped-def]
    lines = data_path(name).read_text(encoding="utf-8").splitlines()
    entries = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert len(entries) == len(set(entries)), "duplicate entries"
    assert all(entry == entry.lower() for entry in entries)
    words = load_word_list(name)
    texts = [f"Then {entry} was said." for entry in entries]
    for entry, doc in zip(entries, nlp.pipe(texts), strict=True):
        found = [doc.text[s:e].lower() for s, e in words.find(doc[:])]
        assert entry in found, f"{name}: {entry!r} not matched in {doc.text!r}"


def test_lexicons_are_a_few_hundred_words() -> None:
    assert len(load_word_list(POSITIVE_FILE).words) >= 200
    assert len(load_word_list(NEGATIVE_FILE).words) >= 200
    assert not load_word_list(POSITIVE_FILE).words & load_word_list(NEGATIVE_FILE).words


# -------------------------------------------------------------------- strategies


def test_every_strategy_has_examples() -> None:
    assert set(STRATEGY_EXAMPLES) == set(STRATEGY_NAMES)


@pytest.mark.parametrize("strategy", sorted(STRATEGY_EXAMPLES))
def test_strategy_examples(nlp, strategy: str) -> None:  # type: ignore[no-untyped-def]
    flagged, clean = STRATEGY_EXAMPLES[strategy]
    for text in flagged:
        doc = nlp(text)
        hits = [h for h in strategy_hits(doc) if h.strategy == strategy]
        assert hits, f"{strategy} not found in {text!r}"
        assert all(0 <= h.start < h.end <= len(text) for h in hits)
    for text in clean:
        assert strategy not in {h.strategy for h in strategy_hits(nlp(text))}, text


def test_ngram_offsets_point_at_their_words() -> None:
    text = "Hi!! Could you PLEASE re-try?"
    found = terms(text, NgramSettings(), offset=10)
    assert [t.text for t in found][:6] == ["hi", "!!", "could", "you", "please", "re"]
    for term in found:
        assert (
            text[term.start - 10 : term.end - 10].lower().replace(" ", "")[:3]
            == (term.text.replace(" ", "")[:3])
        )


# ------------------------------------------------------------------- predictions


def test_polite_help_desk_replies_score_above_rude_ones(model: ToneModel, nlp) -> None:  # type: ignore[no-untyped-def]
    polite = model.predict_proba(list(nlp.pipe(POLITE)))
    rude = model.predict_proba(list(nlp.pipe(RUDE)))
    assert polite.shape == (len(POLITE),) and rude.shape == (len(RUDE),)
    assert polite.mean() > rude.mean() + 0.2
    pairs = [p > r for p, r in product(polite, rude)]
    assert sum(pairs) / len(pairs) >= 0.9
    assert np.median(polite) > 0.5 > np.median(rude)


def test_predict_proba_takes_one_doc_or_many_spans(model: ToneModel, nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Read the FAQ. Could you please restart it? Thank you!")
    single = model.predict_proba(doc)
    assert single.shape == (1,) and 0.0 < single[0] < 1.0
    per_sentence = model.predict_proba(list(doc.sents))
    assert per_sentence.shape == (3,)
    assert per_sentence[0] < per_sentence[1]


def test_explain_offsets_lie_within_the_span(model: ToneModel, nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(" ".join(POLITE[:3] + RUDE[:3]))
    pattern = re.compile(model.settings.token_pattern)
    for sent in doc.sents:
        contributions = model.explain(sent, top=8)
        assert contributions
        assert all(isinstance(c, Contribution) for c in contributions)
        magnitudes = [abs(c.contribution) for c in contributions]
        assert magnitudes == sorted(magnitudes, reverse=True)
        for c in contributions:
            assert c.start is not None and c.end is not None
            assert sent.start_char <= c.start < c.end <= sent.end_char
            if c.feature.startswith("ngram:"):
                words = " ".join(m.lower() for m in pattern.findall(doc.text[c.start : c.end]))
                assert words == c.feature.removeprefix("ngram:")


def test_explain_names_the_words_that_matter(model: ToneModel, nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Thank you so much for your help!")
    top = model.explain(doc, top=3)
    assert any(
        doc.text[c.start : c.end].lower().startswith("thank") for c in top if c.start is not None
    )
    assert all(c.contribution > 0 for c in top[:1])
    logit = model.intercept + sum(c.contribution for c in model.explain(doc, top=None))
    assert model.predict_proba(doc)[0] == pytest.approx(1 / (1 + np.exp(-logit)))
    probability, everything = model.score(doc)
    assert probability == pytest.approx(model.predict_proba(doc)[0])
    assert everything[:3] == top


def test_checking_does_not_import_sklearn() -> None:
    code = (
        "import sys\n"
        "from clarity.nlp import load_pipeline\n"
        "from clarity.tone.model import ToneModel\n"
        "doc = load_pipeline()('Could you please restart it? Thanks!')\n"
        "model = ToneModel.load()\n"
        "assert 0 < model.predict_proba(doc)[0] < 1\n"
        "model.explain(doc)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'sklearn', 'joblib'})\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr


def test_numpy_predictions_equal_sklearn(nlp) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("sklearn")
    from clarity.tone.corpus import Example
    from clarity.tone.train import PolitenessClassifier, encode, payload

    settings = NgramSettings()
    docs = list(nlp.pipe(POLITE + RUDE))
    examples = [Example.of(doc, settings) for doc in docs]
    labels = [1] * len(POLITE) + [0] * len(RUDE)
    encoded = encode(examples)
    estimator = PolitenessClassifier(C=1.0, min_df=1).fit(encoded.matrix, labels)
    exported = json.loads(json.dumps(payload(estimator, encoded.vocabulary, settings)))
    numpy_model = ToneModel(exported)
    probe = [nlp(text) for text in ("Thanks, could you check it?", "Why? Read it!", "Hm.")]
    probe_examples = [Example.of(doc, settings) for doc in probe]
    probe_matrix = encode(examples + probe_examples, encoded.vocabulary).matrix
    expected = estimator.predict_proba(probe_matrix)[:, 1]
    got = numpy_model.predict_proba(docs + probe)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)


# ------------------------------------------------------- the report's message score

RUDE_DRAFT = "YOU NEED TO RESTART THE PRINTER. We already told you this twice!!"
POLITE_DRAFT = (
    "Hi Sam, thanks for your patience. Could you please try restarting the printer? "
    "Let me know if that helps!"
)


def test_report_politeness_is_the_model_on_the_whole_message(model: ToneModel, nlp) -> None:  # type: ignore[no-untyped-def]
    import clarity

    for text in (RUDE_DRAFT, POLITE_DRAFT, *POLITE[:3], *RUDE[:3]):
        tone = clarity.check(text).tone
        assert tone is not None
        assert tone.politeness == pytest.approx(model.predict_proba(nlp(text))[0], abs=1e-3)


def test_rude_draft_is_impolite_and_polite_draft_is_polite() -> None:
    import clarity

    rude = clarity.check(RUDE_DRAFT).tone
    polite = clarity.check(POLITE_DRAFT).tone
    assert rude is not None and polite is not None
    assert rude.label == "impolite" and rude.politeness < 0.4
    assert polite.label == "polite" and polite.politeness > 0.8
    # The sentences keep their own scores, to explain the total.
    assert len(rude.sentences) == 2 and len(polite.sentences) == 3
    assert all(s.politeness < 0.5 for s in rude.sentences)


def test_message_score_counts_each_feature_once_across_runs(model: ToneModel, nlp) -> None:  # type: ignore[no-untyped-def]
    from clarity.tone.report import message_contributions

    doc = nlp("Thanks so much! Read the FAQ. Thanks again!")
    sents = list(doc.sents)
    assert len(sents) == 3
    # Adjacent sentences are read as one span: the same as the whole document.
    p_all, _ = message_contributions(model, sents)
    assert p_all == pytest.approx(model.predict_proba(doc)[0])
    # Sentences with a gap between them are read apart, each feature counted once.
    p_gap, contributions = message_contributions(model, [sents[0], sents[2]])
    names = [c.feature for c in contributions]
    assert len(names) == len(set(names)) and "ngram:thanks" in names
    assert 0.0 < p_gap < 1.0


@pytest.mark.parametrize(
    "text",
    [
        "Thanks so much! Read the FAQ. Thanks again!",
        "Hi Sam,\n\nThanks for waiting. Could you restart it? We'll check it today.",
        "Call me at 5pm.Thanks!",  # no space at the boundary: "." and "Thanks"
        "It is done.)Next we go home.",  # ".)" is one n-gram token across the boundary
        "OK!!!Why not? Please do.",
        "Can you help?\nCan you help?",  # one n-gram in both sentences: its first place
    ],
)
def test_combined_sentence_features_are_the_run_read_whole(  # type: ignore[no-untyped-def]
    model: ToneModel, nlp, text: str
) -> None:
    from clarity.tone.report import message_contributions, sentence_contributions

    doc = nlp(text)
    sents = list(doc.sents)
    run = doc[sents[0].start : sents[-1].end]
    parts = [c for _, c in sentence_contributions(model, sents)]
    combined = model.combine(run, sents, parts)
    assert sorted(combined) == sorted(model.explain(run, top=None))
    # The message score from the sentences' scores is the one read whole.
    scored = sentence_contributions(model, sents)
    assert message_contributions(model, sents, scored) == message_contributions(model, sents)


def test_combined_features_read_the_run_whole_when_a_token_crosses_a_boundary(  # type: ignore[no-untyped-def]
    model: ToneModel, nlp
) -> None:
    from spacy.tokens import Doc

    from clarity.tone.report import sentence_contributions

    # A sentence boundary inside an n-gram token: "?!" split as "?" | "!" + "Please".
    words = ["Why", "?", "!", "Please", "help", "me", "."]
    spaces = [False, False, False, True, True, False, False]
    starts = [True, False, True, False, False, False, False]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=starts)
    sents = list(doc.sents)
    assert [s.text for s in sents] == ["Why?", "!Please help me."]
    parts = [c for _, c in sentence_contributions(model, sents)]
    combined = model.combine(doc[:], sents, parts)
    assert sorted(combined) == sorted(model.explain(doc[:], top=None))
    assert "ngram:?!" in {c.feature for c in combined}


def test_report_rows_score_held_out_requests_with_the_fold_model(nlp) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("sklearn")
    from clarity.tone.corpus import Example
    from clarity.tone.evaluate import report_in_domain
    from clarity.tone.train import encode, search_C

    texts = POLITE + RUDE
    labels = np.array([1] * len(POLITE) + [0] * len(RUDE), dtype=np.int64)
    examples = [Example.of(doc, NgramSettings()) for doc in nlp.pipe(texts)]
    encoded = encode(examples)
    whole, mean = report_in_domain(
        texts,
        encoded.matrix,
        labels,
        encoded.vocabulary,
        lambda: search_C(grid=(1.0,), folds=2),
        folds=2,
        seed=0,
    )
    for score in (whole, mean):
        assert 0.0 <= score.accuracy <= 1.0 and score.chosen_C == [1.0, 1.0]
    # The shipped model is back in place afterwards.
    assert ToneModel.load() is ToneModel.load()
    assert ToneModel.load().payload["training"]
