"""Fix safety is an invariant of the fix engine: touch-ups are edits like any other."""

from __future__ import annotations

from clarity.fixes import apply_fixes, choose
from clarity.types import Applicability, Category, Edit, Finding, Fix, Region, Severity


def _finding(start: int, end: int, text: str, replacement: str) -> Finding:
    return Finding(
        code="W001",
        rule="wordy-phrase",
        category=Category.WORDINESS,
        severity=Severity.INFO,
        start=start,
        end=end,
        text=text,
        message="wordy",
        fix=Fix((Edit(start, end, replacement),), Applicability.SAFE),
    )


def _at(text: str, phrase: str, replacement: str) -> Finding:
    start = text.index(phrase)
    return _finding(start, start + len(phrase), phrase, replacement)


def test_article_is_fixed_on_the_same_line() -> None:
    text = "Please use a utility to connect."
    new, _ = apply_fixes(text, [_at(text, "utility", "app")])
    assert new == "Please use an app to connect."


def test_article_on_the_line_before_is_left_alone() -> None:
    # "a" ends one line (a list, a quote, a log); the replaced word starts the next.
    text = "Option a\nutility settings are here."
    new, _ = apply_fixes(text, [_at(text, "utility", "app")])
    assert new == "Option a\napp settings are here."


def test_touch_ups_never_land_in_a_region() -> None:
    text = "> a utility is ready"
    quote = Region(0, 3, "quote")  # "> a": the article is quoted, the word is not
    chosen = choose(text, [_at(text, "utility", "app")], regions=[quote])
    assert [e for c in chosen for e in c.edits] == [Edit(4, 11, "app")]
    assert apply_fixes(text, [_at(text, "utility", "app")])[0] == "> an app is ready"


def test_capital_after_a_deletion_at_a_sentence_start() -> None:
    text = "Done. Basically restart it.\nbasically fine"
    new, _ = apply_fixes(text, [_at(text, "Basically ", "")])
    assert new == "Done. Restart it.\nbasically fine"


def test_many_fixes_are_chosen_in_linear_time() -> None:
    text = "Please utilize the app. " * 20_000
    findings = []
    pos = 0
    while (i := text.find("utilize", pos)) >= 0:
        findings.append(_finding(i, i + 7, "utilize", "use"))
        pos = i + 7
    regions = [Region(i * 24, i * 24 + 14, "code") for i in range(0, 20_000, 2)]
    chosen = choose(text, findings, regions=regions)  # took minutes when quadratic
    assert len(chosen) == 10_000
