"""Drafts shaped to be slow are checked and fixed in time linear in their length.

Bounds are generous (a slow, shared machine): each shape took minutes or hours before
(noted per case), and takes well under a second or two now."""

from __future__ import annotations

import time

import pytest

import clarity

SHAPES = {
    # spaCy's tokenizer strips a suffix at a time: 4,000 "=" took 3.3 s, 8,000 12.5 s.
    "a rule of 100,000 '='": "Hello there. " + "=" * 100_000,
    "mixed punctuation": "Hi. " + "!?" * 50_000,
    # Underscores are word characters to a regular expression, not to the tokenizer.
    "a rule of underscores": "\n \n\n\n" + "_" * 100_000,
    # The fix loop chose fixes and shifted regions in quadratic time (43 s / 10 s).
    "1,000 repeated sentences": "In order to fix it, please utilize the app. " * 1_000,
    "2,000 bare-CR lines": "Please utilize the app.\r" * 2_000,
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_check_and_fix_are_linear(checker: clarity.Checker, name: str) -> None:
    text = SHAPES[name]
    started = time.monotonic()
    report = checker.check(text)
    fixed = checker.fix(text, report=report)
    assert time.monotonic() - started < 60, name
    for f in report.findings:
        assert report.text[f.start : f.end] == f.text
    assert checker.fix(fixed.text).text == fixed.text  # fixing again changes nothing


def test_shouting_survives_the_cut(checker: clarity.Checker) -> None:
    long = "WHY IS IT STILL BROKEN" + "!" * 40
    assert "T005" in {f.code for f in checker.check(long).findings}


def test_a_message_of_hundreds_of_questions_is_judged_on_its_first_ones(
    checker: clarity.Checker,
) -> None:
    # Each question was weighed against every reply sentence and every other
    # question: 400 questions took 15 s. T013 now judges the first MAX_QUESTIONS.
    from clarity.limits import MAX_QUESTIONS

    incoming = " ".join(
        f"Why is printer {i} jammed and what colour is scanner {i}?" for i in range(400)
    )
    reply = "The office closes at five today."
    started = time.monotonic()
    report = checker.check(reply, incoming=incoming)
    assert time.monotonic() - started < 60
    asked = [f for f in report.findings if f.code == "T013"]
    assert 0 < len(asked) <= MAX_QUESTIONS
