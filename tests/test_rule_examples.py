"""Every rule's documented examples are its tests (proselint keeps one set of examples).

The examples live in the rules' docstrings only (see :mod:`clarity.rules.base` for
the format) and are shown in ``docs/rules.md``. Each ``Example`` must be reported
exactly at its ``**...**`` spans, nothing under ``Use instead`` or ``Not reported``
may be reported, and a rule without examples fails.
"""

from __future__ import annotations

import functools
import time

import pytest

import clarity
from clarity.rules import REGISTRY, all_rules, wordlists
from clarity.rules.base import MAX_QUOTE, Example, Examples, parse_examples
from clarity.rules.jargon import code_spans


def _found(checker: clarity.Checker, code: str, example: Example) -> list[str]:
    """The texts of a rule's findings in an example; subject rules read it as a
    subject line, reply rules get the customer's message. A rule that is off by
    default runs selected, as its documentation says to turn it on."""
    if REGISTRY[code].opt_in:
        checker = _selected(code)
    if REGISTRY[code].target == "subject":
        report = checker.check("", subject=example.text)
        return [f.text for f in report.subject_findings if f.code == code]
    report = checker.check(example.text, incoming=example.incoming)
    return [f.text for f in report.findings if f.code == code]


@functools.cache
def _selected(code: str) -> clarity.Checker:
    return clarity.Checker(clarity.Config(select=(code,)))


def test_every_rule_has_examples() -> None:
    for r in all_rules():
        examples = r.examples
        assert examples.flag and examples.ok, f"{r.code} needs examples to flag and not to flag"
        assert all(e.spans for e in examples.flag), f"{r.code}: mark what each Example reports"


CASES_FLAG = [
    pytest.param(r.code, ex, id=f"{r.code}-{i}")
    for r in all_rules()
    for i, ex in enumerate(r.examples.flag)
]
CASES_PASS = [
    pytest.param(r.code, ex, id=f"{r.code}-{i}")
    for r in all_rules()
    for i, ex in enumerate(r.examples.ok)
]


@pytest.mark.parametrize(("code", "example"), CASES_FLAG)
def test_flags(checker: clarity.Checker, code: str, example: Example) -> None:
    got = _found(checker, code, example)
    assert sorted(got) == sorted(example.spans), (
        f"{code} should report exactly {example.spans} in {example.text!r}; got {got}"
    )


@pytest.mark.parametrize(("code", "example"), CASES_PASS)
def test_does_not_flag(checker: clarity.Checker, code: str, example: Example) -> None:
    got = _found(checker, code, example)
    assert not got, f"{code} should not flag anything in {example.text!r}; got {got}"


DOC = """Title.

    What it does:
        Something.

    Why it matters:
        Because.

    Example:
        - Please flush your **DNS cache**, then check the
          **latency** again.
        - (to "Where is my
          laptop?") **Hello.**

          Kind regards, Sam

    Use instead:
        - Please clear the list.

    Not reported:
        - Fine.
"""


def test_examples_are_parsed_from_the_docstring() -> None:
    examples = parse_examples(DOC)
    assert examples == Examples(
        flag=(
            Example(
                "Please flush your DNS cache, then check the latency again.",
                ("DNS cache", "latency"),
            ),
            Example("Hello.\n\nKind regards, Sam", ("Hello.",), "Where is my laptop?"),
        ),
        ok=(Example("Please clear the list."), Example("Fine.")),
    )


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        (DOC.replace("**DNS cache**", "DNS cache").replace("**latency**", "latency"), "mark"),
        (DOC.replace("- Fine.", "- **Fine.**"), "must not mark"),
        (
            DOC.replace("        - Please clear the list.", "        Please clear the list."),
            "items",
        ),
    ],
)
def test_malformed_examples_are_refused(bad: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_examples(bad)


def test_a_rule_without_examples_cannot_register() -> None:
    from clarity.rules.base import rule
    from clarity.types import Category, Severity

    def no_examples(ctx: object) -> list[object]:
        """Nothing.

        What it does:
            Nothing.

        Why it matters:
            Nothing.

        Example:

        Use instead:
            - Fine.
        """
        return []

    with pytest.raises(ValueError, match="X999 docstring"):
        rule("X999", "no-examples", Category.JARGON, Severity.INFO)(no_examples)  # type: ignore[arg-type]
    assert "X999" not in REGISTRY


# Linear time. Before the fix, J003's code-span pattern re-scanned a long word from each
# of its characters: a 20,000-character word took 3 s and 20,000 characters of
# "a.b.c.d." 5.4 s, growing with the square of the length (a 100,000-character word
# took over 120 s, 200,000 characters about 9 minutes). The fixed code needs about 10 s
# for the longest input below, almost all of it in the parse, the syllable counter and
# the tone model; the bound is generous so that only quadratic behaviour exceeds it.
ADVERSARIAL = {
    "long word": "Please use this key: " + "Qx9" * 33_334 + " to sign in.",
    "dotted word": "a.b.c.d." * 25_000,
    "ampersands": "Please send the A&" + "A&" * 50_000 + " (for the team) today.",
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_check_is_linear_on_long_words(checker: clarity.Checker, name: str) -> None:
    text = ADVERSARIAL[name]
    assert len(text) >= 100_000
    start = time.perf_counter()
    checker.check(text)
    assert time.perf_counter() - start < 60.0, f"{name}: check() is not linear"


@pytest.mark.parametrize(
    "text",
    [
        "a.b.c.d." * 25_000,
        "a.b.c.d " * 25_000,
        "a/b.c " * 33_333,
        "k" * 200_000 + " setup.exe",
        "x" * 100_000 + "/" + "y.log" * 20_000,
    ],
)
def test_code_spans_are_found_in_linear_time(text: str) -> None:
    # The old pattern took about 5 minutes on the first input (quadratic); this takes
    # well under a second. Parsing is left out, so the bound can be tight.
    start = time.perf_counter()
    code_spans(text)
    assert time.perf_counter() - start < 5.0


def test_code_spans() -> None:
    text = "Open C:\\Temp\\a.ini, run `get pods`, see setup.exe. and/ a/b x.py.bak"
    found = [text[s:e] for s, e in code_spans(text)]
    assert found == ["`get pods`", "C:\\Temp\\a.ini,", "setup.exe", "a/b", "x.py"]


def test_messages_cut_what_they_quote(checker: clarity.Checker) -> None:
    word = "q" * 99_000
    report = checker.check(f"The {word} on the VPN server is done.")
    rare = [f for f in report.findings if f.code == "J003"]
    assert rare and rare[0].text == word
    quoted = rare[0].message.split("“", 1)[1].split("”", 1)[0]
    assert len(quoted) == MAX_QUOTE and quoted.endswith("…") and quoted.startswith("qqq")
    assert all(len(f.message) < 400 for f in report.findings)


@pytest.mark.parametrize(
    "name",
    [
        wordlists.SOFTENERS,
        wordlists.ALTERNATIVES,
        wordlists.CONDITIONS,
        wordlists.GREETINGS,
        wordlists.SIGNOFFS,
        wordlists.UPSET_WORDS,
        wordlists.GENERIC_LEMMAS,
        wordlists.FAULT_WORDS,
        wordlists.ANSWER_HEDGES,
        wordlists.ANSWER_DOERS,
        wordlists.UPSET_WEAK_SIGNS,
        wordlists.UPSET_RELIEF_WORDS,
    ],
)
def test_tone_word_lists_load_and_match(name: str) -> None:
    entries = wordlists.words(name)
    assert entries and len(entries) == len(set(entries)), f"{name}: empty or duplicates"
    pattern = wordlists.word_pattern(name)
    for entry in entries:
        assert entry == entry.lower().strip(), f"{name}: {entry!r} must be lower case"
        assert pattern.search(f"Well, {entry.upper()} here."), f"{name}: {entry!r} not matched"
    if name == wordlists.ALTERNATIVES:
        assert not pattern.search("Well, we can't.") and pattern.search("but we can.")
