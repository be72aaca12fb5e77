"""A short run of the fuzz harness (``python -m tests.fuzz``) in the normal suite.

Each target runs a few dozen adversarial inputs (see ``tests/fuzz_strategies.py``) and
fails on any broken promise: an exception that is not a ClarityError, a finding or an
edit whose offsets do not index the text, an edit in a region or beyond the documented
touch-ups, a fix that changes on a second run, a batch record lost. Longer runs:
``python -m tests.fuzz --minutes 10 --target all`` (docs/reliability.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings

from clarity.fixes import AppliedFix
from clarity.types import Applicability, Category, Edit, Finding, Fix, Region, Severity
from tests import fuzz

#: A few dozen inputs per target, the same ones on every run (the harness explores;
#: the suite must stay fast and repeatable).
SHORT = settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _assert_kept(target: str, value: Any) -> None:
    problems = fuzz.TARGETS[target].run(value)
    assert not problems, "\n".join(f"{p.key}\n{p.detail}" for p in problems)


# Inputs the fuzzer found (minimal reproductions), kept as examples.
@SHORT
@given(fuzz.TARGETS["check"].strategy)
@example(("a\n\n\rSent from my iPhone\nPlease.\n-- \nJane Doe\n", True, None))  # region at a CR
def test_check_keeps_its_promises(value: Any) -> None:
    _assert_kept("check", value)


@SHORT
@given(fuzz.TARGETS["fix"].strategy)
@example(("A\nwith regard to that, yes.", False, False))  # "An" across the line break
# "An " at the end of a line: the article pattern's "$" matched before the "\n"
@example(("Please.\nPlease.\nPlease.\nPlease.\nAn \nFor a period of.\n", False, False))
# a wordy phrase fixed inside a greeting (the writer's own words: allowed)
@example(("\r\rHi Please Please Please be advised that.\r", False, True))
@example(("An\rwe apologize for any inconvenience this may have caused.\r", True, False))
# the touch-up edited the quoted "an"
@example(("On Mon, 3 Jun 2024, Maria wrote:\n> Thanks for an\ntake a look at it.\n", False, True))
def test_fix_keeps_its_promises(value: Any) -> None:
    _assert_kept("fix", value)


@SHORT
@given(fuzz.TARGETS["email"].strategy)
def test_email_reading_keeps_its_promises(value: Any) -> None:
    _assert_kept("email", value)


@SHORT
@given(fuzz.TARGETS["batch"].strategy)
@example(fuzz.fs.Batch(b"[" * 100_000 + b"]" * 100_000 + b"\n", "b.jsonl", 1))  # RecursionError
def test_batch_reading_keeps_its_promises(value: Any) -> None:
    _assert_kept("batch", value)


# --- the harness's own checks must catch what they claim to catch ------------------


def _finding(start: int, end: int, text: str, edits: tuple[Edit, ...]) -> Finding:
    return Finding(
        code="W001",
        rule="wordy",
        category=Category.WORDINESS,
        severity=Severity.WARNING,
        start=start,
        end=end,
        text=text[start:end],
        message="",
        fix=Fix(edits, Applicability.SAFE),
    )


def test_region_problems_catch_overlap_and_line_breaks() -> None:
    text = "ab\ncd\nef"
    assert fuzz.region_problems(text, [Region(0, 2, "quote"), Region(3, 5, "code")], "r") == []
    keys = {
        p.key
        for p in fuzz.region_problems(text, [Region(0, 5, "quote"), Region(3, 8, "code")], "r")
    }
    assert keys == {"r: regions unsorted or overlapping"}
    keys = {p.key for p in fuzz.region_problems(text, [Region(2, 5, "quote")], "r")}
    assert keys == {"r: region starts or ends with a line break"}
    assert fuzz.region_problems(text, [Region(0, 9, "quote")], "r")


@pytest.mark.parametrize(
    ("text", "edit", "touch_up", "why"),
    [
        # documented: the article before a replaced word; the capital after a deletion
        ("a utility", Edit(2, 9, "app"), Edit(0, 1, "an"), None),
        ("An hour", Edit(3, 7, "minute"), Edit(0, 2, "A"), None),
        ("Kindly do it", Edit(0, 7, ""), Edit(7, 8, "D"), None),
        # not documented
        ("a\nutility", Edit(2, 9, "app"), Edit(0, 1, "an"), "article touch-up across a line break"),
        ("a utility", Edit(2, 9, "app"), Edit(0, 1, "the"), "edit beyond the fix"),
        ("do it now", Edit(3, 5, "x"), Edit(6, 9, "NOW"), "edit beyond the fix"),
    ],
)
def test_touch_up_problem(text: str, edit: Edit, touch_up: Edit, why: str | None) -> None:
    got = fuzz.touch_up_problem(text, touch_up, [edit])
    assert got == why or (why is not None and got is not None and got.startswith(why))


def test_pass_problems_catch_edits_in_regions_and_changed_text() -> None:
    text = "in order to go\n> in order to"
    own = Edit(0, 11, "to")
    good = fuzz._Pass(text, (Region(15, 27, "quote"),), "to go\n> in order to", [])
    good.chosen.append(AppliedFix(_finding(0, 11, text, (own,)), (own,)))
    assert fuzz.pass_problems(good) == []
    inside = Edit(17, 28, "to")
    bad = fuzz._Pass(text, (Region(15, 28, "quote"),), "in order to go\n> to", [])
    bad.chosen.append(AppliedFix(_finding(17, 28, text, (inside,)), (inside,)))
    keys = {p.key for p in fuzz.pass_problems(bad)}
    assert "fix edit inside a region" in keys
    assert "region text changed by fixing" in keys
    wrong = fuzz._Pass(text, (), "TO go\n> in order to", list(good.chosen))
    assert {p.key for p in fuzz.pass_problems(wrong)} == {"text outside the applied edits changed"}
    # A greeting is the writer's own words: its findings are fixed like any other.
    hello = "Hi, in order to help"
    fix = Edit(4, 15, "to")
    greeting = fuzz._Pass(hello, (Region(0, 20, "greeting"),), "Hi, to help", [])
    greeting.chosen.append(AppliedFix(_finding(4, 15, hello, (fix,)), (fix,)))
    assert fuzz.pass_problems(greeting) == []


def test_an_interrupted_run_still_reports(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C during a long run ends it with the summary of what ran, exit code 130."""

    def stop(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fuzz, "fuzz_target", stop)
    assert fuzz.main(["--minutes", "0.01", "--target", "check"]) == 130
    out = capsys.readouterr().out
    assert "(interrupted)" in out and "=== clarity fuzz summary ===" in out
