"""Fix safety is an invariant of the fix engine: touch-ups are edits like any other."""

from __future__ import annotations

import pytest

import clarity
from clarity.fit import noun_phrase, verb_frames
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


# Unsafe swaps are applied only where they fit the sentence (clarity.fit); the reasons
# come from the hand-judged sample of `clarity fix --unsafe` edits (issue 11).
MUST_FIT = [
    # number: a plural term gets a plural replacement
    (
        "Legacy auth is blocked, so older mail clients will stop syncing.",
        "older email apps will",
    ),
    ("Please re-import the config.", "re-import the settings"),
    ("Please remediate the fault today.", "fix the fault"),
    ("It will take approximately 20 minutes.", "about 20 minutes"),
    ("Your request was escalated to the network team.", "was passed on"),
    ("We deploy cumulative updates monthly.", "roll out"),
]
MUST_NOT_APPLY = [
    # meaning / compound: a term that modifies or heads a larger noun compound
    ("The sender domain was registered two days ago.", "sender domain"),
    ("The crash corrupted the SQL database.", "SQL database"),
    ("Teams is CPU-bound on your model.", "CPU-bound"),
    # part of speech: a noun replaced by a clause, a verb by a phrase
    ("Retention will purge it in 30 days.", "Retention"),
    ("Your laptop was blue-screening after the update.", "blue-screening"),
    # word order: particle or adverb after the verb, before its object
    ("After that, you will need to re-provision the profile.", "re-provision the profile"),
    ("Raise a request and we'll deploy it.", "deploy it"),
    # verb frames
    ("Please inform the team of the change.", "inform the team of"),
    ("The logs indicate that the disk is failing.", "indicate that"),
    # article or number
    ("There's an instance hogging CPU.", "hogging CPU"),
    ("The config doesn't handle it well.", "config"),
    ("It's a scam, not ransomware.", "not ransomware"),
    ("I've looked at the sign-in logs in Entra ID.", "sign-in logs"),  # "histories"
    # a state, not an action
    ("Your laptop is encrypted.", "encrypted"),
    # a tautology
    ("A VPN is a secure connection to the office.", "A VPN"),
    # a preposition before a verb or a pronoun
    ("Any difficulties in relation to accessing it should be reported.", "in relation to"),
    # a preposition as a sentence's opener ("About refunds, these are..."), a
    # determiner after a determiner ("the this change")
    ("With regard to refunds, these are paid within five days.", "With regard to"),
    ("We reverted the aforementioned change this morning.", "aforementioned"),
    # a replacement that is jargon itself ("virtual machine host")
    ("The hypervisor restarted overnight.", "hypervisor"),
]


@pytest.mark.parametrize(("text", "expected"), MUST_FIT)
def test_unsafe_swap_that_fits_is_applied(
    checker: clarity.Checker, text: str, expected: str
) -> None:
    assert expected in checker.fix(text, unsafe=True).text


#: W002 (formal words, opt-in) selected too: "inform X of" is its frame to keep.
WITH_FORMAL = ["J", "R", "S", "T", "W", "W002"]


@pytest.mark.parametrize(("text", "kept"), MUST_NOT_APPLY)
def test_unsafe_swap_that_does_not_fit_is_display_only(text: str, kept: str) -> None:
    checker = clarity.Checker(select=WITH_FORMAL)
    assert kept in checker.fix(text, unsafe=True).text
    spans = [
        f
        for f in checker.check(text).findings
        if f.fix is not None
        and f.start < text.index(kept) + len(kept)
        and text.index(kept) < f.end
        and f.code in ("J001", "W001", "W002")
    ]
    assert spans and all(f.fix.applicability is Applicability.DISPLAY for f in spans if f.fix)


def test_verb_frames_file_loads() -> None:
    frames = verb_frames()
    assert "obj" in frames[("provide", "give")]
    assert "obj prep:with" not in frames[("provide", "give")]
    assert frames[("communicate", "tell")] == frozenset()


def test_noun_phrase() -> None:
    assert noun_phrase("sign-in details") and noun_phrase("network address")
    assert not noun_phrase("how long we keep it") and not noun_phrase("start up")
    assert not noun_phrase("your Desktop folders")


def test_a_chain_of_fixes_cut_by_the_pass_limit_says_so() -> None:
    """Each edit can make the next fixable (a tagger reads the repeated word again as a
    verb): when the pass limit stops such a chain, the result says it is not complete
    and fixing again goes on; a normal draft is complete, and fixing it twice changes
    nothing. The fuzz harness found the chain (seed 30)."""
    from click.testing import CliRunner

    from clarity.cli import main

    sign = "-- \rJane Doe\rSupport team\r"
    chain = f"Please.\r{sign}perform perform perform perform perform perform\r{sign}"
    checker = clarity.Checker(select=WITH_FORMAL)  # "perform" is W002's
    first = checker.fix(chain, unsafe=True, regions=())
    assert not first.complete
    assert checker.fix(first.text, unsafe=True, regions=()).text != first.text
    assert checker.fix(chain, unsafe=True, regions=(), max_passes=8).complete
    draft = "In order to reset it, please utilize the link prior to noon."
    once = checker.fix(draft, unsafe=True)
    assert once.complete and checker.fix(once.text, unsafe=True).text == once.text
    words = "perform perform perform perform perform perform perform perform\n"
    select = [arg for code in WITH_FORMAL for arg in ("--select", code)]
    result = CliRunner().invoke(main, ["fix", "--unsafe", *select, "-"], input=words)
    assert "run clarity fix again" in result.stderr
