"""The pre-send verdict: policies, their configuration, and verdicts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import clarity
from clarity.errors import ConfigError
from clarity.presend import Policy, load_policy, presend, verdict_for
from clarity.types import Severity

ROOT = Path(__file__).resolve().parents[1]
DRAFT = (ROOT / "examples" / "draft.txt").read_text(encoding="utf-8")
PLAIN = (ROOT / "examples" / "plain.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_config_around(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Policies and settings are searched from the current folder: make it empty."""
    monkeypatch.chdir(tmp_path)


# --- policies ----------------------------------------------------------------------


def test_default_policy_blocks_warnings_like_clarity_check() -> None:
    policy = Policy()
    assert policy.fail_on is Severity.WARNING
    assert policy.max_grade is None and policy.min_politeness is None
    assert policy.max_jargon is None
    assert load_policy() == policy


def test_policy_from_pyproject_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clarity]\naudience = "technical"\n\n'
        '[tool.clarity.presend]\nfail_on = "error"\nmax_grade = 10\n'
        "min_politeness = 0.4\nmax_jargon = 2\n",
        encoding="utf-8",
    )
    policy = load_policy(tmp_path)
    assert policy == Policy(Severity.ERROR, 10.0, 0.4, 2)
    assert load_policy(tmp_path, max_jargon=0, fail_on="never") == Policy(None, 10.0, 0.4, 0)
    # None values are "not given", as for load_config.
    assert load_policy(tmp_path, max_grade=None) == policy
    # The check settings ignore the presend table.
    assert clarity.load_config(tmp_path).audience == "technical"


def test_policy_from_clarity_toml_and_named_file(tmp_path: Path) -> None:
    (tmp_path / "clarity.toml").write_text('[presend]\nfail_on = "info"\n', encoding="utf-8")
    sub = tmp_path / "replies"
    sub.mkdir()
    assert load_policy(sub).fail_on is Severity.INFO
    other = tmp_path / "other.toml"
    other.write_text("[tool.clarity.presend]\nmax_jargon = 1\n", encoding="utf-8")
    assert load_policy(file=other) == Policy(max_jargon=1)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("fail_on = 'loud'", "fail_on"),
        ("max_grade = 'eight'", "max_grade"),
        ("min_politeness = 1.5", "between 0 and 1"),
        ("max_jargon = -1", "max_jargon"),
        ("max_jargon = 1.5", "max_jargon"),
        ("colour = 'red'", r"unknown presend setting\(s\): colour"),
    ],
)
def test_bad_policy_settings_name_the_file(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.clarity.presend]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_policy(tmp_path)
    assert str(path) in str(info.value)


def test_bad_override_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="min_politeness"):
        Policy().replace(min_politeness=-0.1)
    with pytest.raises(ConfigError, match="unknown"):
        Policy().replace(max_words=3)


def test_policy_to_dict_is_json() -> None:
    data = Policy(fail_on=None, max_jargon=3).to_dict()
    assert data == {"fail_on": "never", "max_grade": None, "min_politeness": None, "max_jargon": 3}
    json.dumps(data)


# --- verdicts ----------------------------------------------------------------------


def test_draft_is_blocked_plain_is_allowed(checker: clarity.Checker) -> None:
    blocked = presend(DRAFT, checker=checker, policy=Policy())
    assert not blocked.allowed
    assert {f.code for f in blocked.blocking} >= {"J001", "R004"}
    assert all(f.severity.rank >= Severity.WARNING.rank for f in blocked.blocking)
    assert all(f.severity is Severity.INFO for f in blocked.others)
    assert len(blocked.blocking) + len(blocked.others) == len(blocked.report.findings)
    assert [r.kind for r in blocked.reasons] == ["severity"]
    assert blocked.summary().startswith("blocked: ")

    allowed = presend(PLAIN, checker=checker, policy=Policy())
    assert allowed.allowed and not allowed.blocking and not allowed.reasons
    assert allowed.summary().startswith("allowed: ")
    assert allowed.rewritten == PLAIN


def test_rewritten_is_what_checker_fix_gives(checker: clarity.Checker) -> None:
    verdict = presend(DRAFT, checker=checker, policy=Policy())
    assert verdict.rewritten != DRAFT
    assert verdict.rewritten == checker.fix(DRAFT).text
    text = "In order to reset it, please click Save prior to leaving."
    assert presend(text, checker=checker).rewritten == checker.fix(text).text


def test_top_level_presend_uses_the_configuration_found(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clarity]\nignore = ["J", "R"]\n[tool.clarity.presend]\nfail_on = "info"\n',
        encoding="utf-8",
    )
    verdict = clarity.presend("In order to reset it, click Save.")
    assert verdict.policy.fail_on is Severity.INFO
    assert [f.code for f in verdict.blocking] == ["W001"]
    # Settings as keyword arguments, over the configuration file.
    assert clarity.presend("In order to reset it, click Save.", ignore=["W"]).allowed


def test_fail_on_never_and_error(checker: clarity.Checker) -> None:
    assert presend(DRAFT, checker=checker, policy=Policy(fail_on=None)).allowed
    verdict = presend(DRAFT, checker=checker, policy=Policy(fail_on=Severity.ERROR))
    assert verdict.allowed
    assert not verdict.blocking and verdict.others


def test_max_grade(checker: clarity.Checker) -> None:
    verdict = presend(DRAFT, checker=checker, policy=Policy(fail_on=None, max_grade=10))
    assert not verdict.allowed
    assert [r.kind for r in verdict.reasons] == ["grade"]
    assert "above the maximum 10" in verdict.reasons[0].message
    assert presend(PLAIN, checker=checker, policy=Policy(fail_on=None, max_grade=10)).allowed
    # Messages under 40 words are not judged on grade (as rule R004).
    short = "Subsequent authentication necessitates organizational credentials."
    assert presend(short, checker=checker, policy=Policy(fail_on=None, max_grade=1)).allowed


def test_max_jargon_counts_distinct_terms(checker: clarity.Checker) -> None:
    text = "Please check the VPN. The VPN is down, so the latency is high. Restart the VPN."
    report = checker.check(text)
    terms = {f.text.lower() for f in report.findings if f.category.value == "jargon"}
    assert len(terms) == 2
    policy = Policy(fail_on=None, max_jargon=2)
    assert verdict_for(report, policy).allowed
    verdict = verdict_for(report, Policy(fail_on=None, max_jargon=1))
    assert not verdict.allowed
    assert verdict.reasons[0].kind == "jargon"
    assert "2 jargon terms" in verdict.reasons[0].message
    assert {f.category.value for f in verdict.blocking} == {"jargon"}
    assert len(verdict.blocking) == 2  # one finding a term, where it first appears


@dataclass(frozen=True)
class FakeTone:
    politeness: float
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"politeness": self.politeness, "label": self.label}


def _with_tone(report: clarity.Report, politeness: float, label: str) -> clarity.Report:
    if hasattr(report, "tone"):
        import dataclasses

        return dataclasses.replace(report, tone=FakeTone(politeness, label))  # type: ignore[call-arg]
    object.__setattr__(report, "tone", FakeTone(politeness, label))
    return report


def test_min_politeness_applies_only_with_a_tone_estimate(checker: clarity.Checker) -> None:
    policy = Policy(fail_on=None, min_politeness=0.5)
    report = checker.check("Send the log now.")
    if getattr(report, "tone", None) is None:
        assert verdict_for(report, policy).allowed  # no estimate: the test is off
    rude = _with_tone(checker.check("Send the log now."), 0.2, "impolite")
    verdict = verdict_for(rude, policy)
    assert not verdict.allowed
    assert verdict.reasons[0].kind == "politeness"
    assert "0.20 (impolite)" in verdict.reasons[0].message
    assert "tone impolite (0.20)" in verdict.summary()
    assert verdict.to_dict()["tone"] == {"politeness": 0.2, "label": "impolite"}
    polite = _with_tone(checker.check("Could you send the log, please?"), 0.9, "polite")
    assert verdict_for(polite, policy).allowed


def test_incoming_is_kept_and_read_by_the_tone_rules(checker: clarity.Checker) -> None:
    upset = "This is the THIRD time my email has stopped working!! Nobody has fixed it."
    verdict = presend("Please restart Outlook.", incoming=upset, checker=checker, policy=Policy())
    assert verdict.incoming == upset
    assert "T012" in {f.code for f in verdict.report.findings}  # not acknowledged


def test_verdict_to_dict_is_json(checker: clarity.Checker) -> None:
    verdict = presend(DRAFT, checker=checker, policy=Policy(max_grade=9))
    data = json.loads(json.dumps(verdict.to_dict()))
    assert data["allowed"] is False
    assert data["rewritten"] == verdict.rewritten
    assert data["result"]["text"] == DRAFT
    assert {r["kind"] for r in data["reasons"]} == {"severity", "grade"}
    refs = {(b["code"], b["start"], b["end"]) for b in data["blocking"]}
    found = {(f["code"], f["start"], f["end"]) for f in data["result"]["findings"]}
    assert refs and refs <= found
    assert data["policy"]["max_grade"] == 9


def test_regions_are_honoured(checker: clarity.Checker) -> None:
    text = "Thanks, we reset it.\n\n> Why does my SSO fail with DNS latency?\n"
    quote = text.index(">")
    region = clarity.Region(quote, len(text) - 1, "quote")
    assert presend(text, checker=checker, regions=[region], policy=Policy()).allowed
    assert presend(text, checker=checker, policy=Policy()).allowed  # detected
    assert not presend(text, checker=checker, regions=[], policy=Policy()).allowed


def test_policy_update_takes_null_as_off() -> None:
    policy = Policy(max_grade=9, max_jargon=1)
    assert policy.update({"max_grade": None, "fail_on": "error"}) == Policy(
        Severity.ERROR, None, None, 1
    )
    for other in (Policy(), Policy(None, 12.5, 0.3, 0)):
        assert Policy(max_grade=9, min_politeness=0.9).update(other.to_dict()) == other
    with pytest.raises(ConfigError, match="unknown"):
        policy.update({"colour": None})
