"""The fast paths of issue 12 do what they claim, without changing any result.

* ``import clarity``, ``clarity --version`` and the thin client
  (``clarity check --server``) never import spaCy: the engine is imported lazily;
  checking a plain draft imports neither wordfreq nor lemminflect (shipped tables);
* the tone strategies read each sentence once per ``Doc``, however many times the
  report asks (sentence scores, then the message as a whole);
* the attribute ruler's lookup gives spaCy's annotations for every kind of pattern,
  including those it hands to a Matcher;
* the token table the rules read (:mod:`clarity.tokens`) holds what the ``Token``
  objects say, for any text.

Speed itself is measured by ``benchmarks/bench_check.py``, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clarity
from clarity import pipes
from clarity.tokens import doc_tokens
from clarity.tone import features
from live_server import LiveServer

ROOT = Path(__file__).resolve().parents[1]
DRAFT = ROOT / "examples" / "draft.txt"

HEAVY = ("spacy", "thinc", "numpy", "clarity.engine", "clarity.nlp")


def _run(code: str) -> tuple[list[str], dict[str, bool]]:
    """Run ``code`` in a fresh interpreter: the lines it printed, and which of
    :data:`HEAVY` it had imported by the end."""
    report = "print(json.dumps({m: m in sys.modules for m in HEAVY}))"
    probe = f"{code}\nimport json, sys\nHEAVY = {HEAVY!r}\n{report}"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    *printed, modules = out.stdout.strip().splitlines()
    return printed, json.loads(modules)


def test_import_clarity_and_version_import_no_engine() -> None:
    for code in (
        "import clarity",
        "from clarity.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass",
    ):
        assert not any(_run(code)[1].values()), code


def test_checking_the_example_draft_loads_no_word_frequency_package() -> None:
    """English word frequencies come from the shipped table, inflections from the
    shipped forms: checking a plain draft imports neither wordfreq nor lemminflect,
    and the table gives wordfreq's own values."""
    code = (
        "import clarity, json, sys, pathlib\n"
        f"clarity.check(pathlib.Path({str(DRAFT)!r}).read_text(encoding='utf-8'))\n"
        "print(json.dumps([m in sys.modules for m in ('wordfreq', 'lemminflect')]))"
    )
    printed, modules = _run(code)
    assert modules["spacy"] and json.loads(printed[-1]) == [False, False]
    from wordfreq import zipf_frequency

    from clarity.wordfreqs import zipf_en

    for word in ("the", "router", "hypervisor", "idempotent", "xqzzyfrob", "e-mail", "don't"):
        assert zipf_en(word) == zipf_frequency(word, "en"), word


def test_hyphenation_dictionary_loads_once_and_only_when_a_word_needs_it() -> None:
    """Syllables come from the CMU dictionary; Pyphen's hyphenation dictionary, for
    other words, is loaded once, for clarity and textstat together, and not at all
    for a draft of dictionary words."""
    code = (
        "import clarity, json, sys, pyphen\n"
        "loads = []\n"
        "init = pyphen.HyphDict.__init__\n"
        "pyphen.HyphDict.__init__ = lambda self, path: (loads.append(1), init(self, path))[1]\n"
        "clarity.check('Thanks for your message. We will call you this afternoon.')\n"
        "print(len(loads))\n"
        "clarity.check('Restart the frobnicator, then run ipconfig and kubectl again.')\n"
        "print(len(loads))"
    )
    printed, _ = _run(code)
    assert printed[-2:] == ["0", "1"]


def test_lazy_names_are_the_engine_s() -> None:
    from clarity import engine, rules

    assert clarity.check is engine.check and clarity.Checker is engine.Checker
    assert clarity.rewrite is engine.rewrite and clarity.FixResult is engine.FixResult
    assert clarity.all_rules is rules.all_rules
    assert callable(clarity.presend)  # the function, not the module of the same name
    assert set(clarity.__all__) <= set(dir(clarity)) | {"audit", "audit_partition"}
    with pytest.raises(AttributeError):
        _ = clarity.no_such_name  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("speed-serve"))
    try:
        live.wait_ready()
        yield live
    finally:
        live.stop()


def test_thin_client_never_imports_spacy(server: LiveServer) -> None:
    """A whole ``clarity check --server URL`` run, in a fresh interpreter: the findings
    come back from the service and spaCy was never imported."""
    code = (
        "from clarity.cli import main\n"
        "try:\n"
        f"    main(['check', '--server', {server.url!r}, '--format', 'json',"
        f" '--fail-on', 'never', {str(DRAFT)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
    )
    report_lines, modules = _run(code)
    assert modules == {m: False for m in HEAVY}
    report = json.loads("\n".join(report_lines))
    assert "J001" in json.dumps(report)  # the service's findings reached the client


def test_each_sentence_is_read_once_per_doc(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = features.STRATEGIES["gratitude"]

    def counting(sent: features.Sentence) -> Iterator[tuple[int, int]]:
        calls.append(sent.start)
        yield from original(sent)

    monkeypatch.setitem(features.STRATEGIES, "gratitude", counting)
    text = "Hi Sam,\n\nThanks for waiting. Please restart the router. Thank you!\n\nBest,\nAna"
    report = clarity.Checker().check(text)
    assert report.tone is not None and len(report.tone.sentences) >= 4
    # Sentence scores and the message score both read the sentences: once each.
    assert sorted(calls) == sorted(set(calls)) and len(calls) == len(report.tone.sentences)


def test_strategy_hits_of_a_span_are_those_of_its_clipped_sentences() -> None:
    from clarity.nlp import load_pipeline

    doc = load_pipeline()("Could you send it? I think we are done. Thanks so much!")
    whole = features.strategy_hits(doc)
    for sent in doc.sents:
        inside = [h for h in whole if sent.start_char <= h.start < sent.end_char]
        assert features.strategy_hits(sent) == inside
    # A span that cuts sentences reads the parts it covers, as Span.sents gives them.
    part = doc[2:9]
    assert {h.strategy for h in features.strategy_hits(part)} <= {h.strategy for h in whole}
    assert all(part.start_char <= h.start for h in features.strategy_hits(part))


def test_fast_ruler_matches_spacy_for_every_kind_of_pattern() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN"})
    ruler.add([[{"LOWER": {"IN": ["it", "that"]}, "TAG": "PRP"}]], {"POS": "PRON"})
    ruler.add([[{"TAG": {"NOT_IN": ["NN", ""]}}]], {"MORPH": "Foo=Bar"})
    ruler.add([[{"LOWER": {"REGEX": "^gon"}}]], {"LEMMA": "go"})
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=1)
    ruler.add([[{"LOWER": "to"}, {"LOWER": "do", "OP": "?"}]], {"LEMMA": "TO"}, index=0)
    ruler.add([[{"IS_SPACE": True}]], {"POS": "SPACE"})
    ruler.add([[{"TAG": "NN", "LOWER": "router"}]], {"POS": "PROPN"})  # later rule wins
    fast = pipes.FastAttributeRuler(nlp, ruler)
    tags = ["PRP", "VBP", "TO", "VB", "DT", "NN", "_SP", "PRP", "VBZ", "VBG", "TO", "NN", "TO"]
    text = "I gon na restart the router \n it is gonna router to"
    for _ in range(2):  # the second time from the remembered lookups
        expected, got = nlp.make_doc(text), nlp.make_doc(text)
        assert len(expected) == len(tags)
        for doc in (expected, got):
            for tok, tag in zip(doc, tags, strict=True):
                tok.tag_ = tag
        ruler(expected)
        fast(got)
        assert [(t.pos_, str(t.morph), t.lemma_) for t in got] == [
            (t.pos_, str(t.morph), t.lemma_) for t in expected
        ]
    assert fast.has_complex  # the "OP" pattern went to the Matcher


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([*"ab Zé1.,!?'-\n\t\u00a0", "don't", " the ", "IT ", "running "]),
        max_size=40,
    ).map("".join)
)
def test_token_table_is_what_the_tokens_say(text: str) -> None:
    doc = clarity.Checker().nlp(text)
    t = doc_tokens(doc)
    assert t.text == doc.text
    assert t.orth == [tok.text for tok in doc]
    assert t.lower == [tok.lower_ for tok in doc]
    assert t.lemma_lower == [tok.lemma_.lower() for tok in doc]
    assert t.pos == [tok.pos_ for tok in doc] and t.tag == [tok.tag_ for tok in doc]
    assert t.head == [tok.head.i for tok in doc] and t.idx == [tok.idx for tok in doc]
    assert t.is_alpha == [tok.is_alpha for tok in doc]
    assert t.space_after == [tok.whitespace_ == " " for tok in doc]
    assert t.counted == [
        not (tok.is_punct or tok.is_space) and any(c.isalnum() for c in tok.text) for tok in doc
    ]
