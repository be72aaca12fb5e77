"""Properties over offsets: whatever the text, findings point at the text they quote."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clarity

WORDS = [
    "please",
    "flush",
    "your",
    "DNS",
    "cache",
    "in",
    "order",
    "to",
    "utilize",
    "the",
    "SSO",
    "MDM",
    "latency",
    "was",
    "restarted",
    "by",
    "admin",
    "IT",
    "it",
    "sign-on",
    "idempotent",
    "Hi",
    "Maria",
    "thanks",
    "e-mail",
    "VPNs",
    "prior",
    "café",
    "😀",
]
tokens = st.one_of(
    st.sampled_from(WORDS),
    st.text(alphabet=string.ascii_letters + "'-", min_size=1, max_size=8),
)
separators = st.sampled_from(
    [" ", " ", " ", ", ", ". ", "! ", "? ", "\n", "\n\n", "\t", " (", ") "]
)
drafts = st.lists(st.tuples(tokens, separators), max_size=60).map(
    lambda parts: "".join(a + b for a, b in parts)
)
noise = st.text(max_size=300)


def _check_offsets(text: str, report: clarity.Report) -> None:
    last = (-1, -1)
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert f.text == text[f.start : f.end]
        assert (f.start, f.end) >= (last[0], -1)  # sorted by start
        last = (f.start, f.end)
        if f.fix is not None:
            for e in f.fix.edits:
                assert 0 <= e.start <= e.end <= len(text)
    for s in report.readability.sentence_scores:
        assert 0 <= s.start <= s.end <= len(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts)
def test_offsets_index_the_original_text(checker: clarity.Checker, text: str) -> None:
    _check_offsets(text, checker.check(text))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noise)
def test_any_unicode_text_is_checked(checker: clarity.Checker, text: str) -> None:
    text = text.replace("\x00", "")
    report = checker.check(text)
    _check_offsets(text, report)
    assert 0 <= report.score <= 100


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(drafts, min_size=1, max_size=4))
def test_check_many_equals_check(checker: clarity.Checker, texts: list[str]) -> None:
    many = list(checker.check_many(texts))
    single = [checker.check(t) for t in texts]
    assert [r.to_dict() for r in many] == [r.to_dict() for r in single]
