"""Quoted history, signatures and other regions: languages data, line breaks, speed
and stability of :mod:`clarity.sources.regions`."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clarity.errors import DataError
from clarity.sources.regions import (
    PATTERN_KEYS,
    Example,
    detect_regions,
    languages,
    load_languages,
)
from clarity.types import Region

IGNORED = {"quote", "signature", "disclaimer", "code", "log"}


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(r.kind, text[r.start : r.end]) for r in detect_regions(text)]


# --- the languages data file ----------------------------------------------------

#: A quantifier on "." without a bound, or on a group, can backtrack without end.
_UNBOUNDED = re.compile(r"(?<!\\)\.[*+]|\)[*+]|\)\{\d*,\}")


def test_every_data_entry_compiles_and_is_bounded() -> None:
    data = languages()
    assert len(data.languages) >= 15
    for key in PATTERN_KEYS:
        for entry in data.patterns[key]:
            re.compile(entry, re.IGNORECASE)
            assert not _UNBOUNDED.search(entry), (key, entry)


def test_every_language_has_examples() -> None:
    data = languages()
    with_examples = {e.language for e in data.examples}
    assert with_examples == set(data.languages)


@pytest.mark.parametrize(
    "example", languages().examples, ids=lambda e: f"{e.language}-{e.kind}-{e.starts[:20]}"
)
def test_each_language_example_is_detected(example: Example) -> None:
    got = _kinds(example.text)
    assert any(k == example.kind and t.startswith(example.starts) for k, t in got), got


def test_bad_data_file_raises_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[xx]\nwrote = ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"\[xx\] wrote: bad pattern"):
        load_languages(bad)
    bad.write_text("[xx]\nwritten = ['x']\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown key"):
        load_languages(bad)
    bad.write_text("[xx]\nexamples = [{ text = 'x' }]\n", encoding="utf-8")
    with pytest.raises(DataError, match="needs text, kind"):
        load_languages(bad)
    bad.write_text("[xx\n", encoding="utf-8")
    with pytest.raises(DataError, match="not valid TOML"):
        load_languages(bad)
    with pytest.raises(DataError, match="cannot read"):
        load_languages(tmp_path / "missing.toml")


# --- issue 9: attributions in any language, rules above header blocks, devices ----

QUOTE = "\n> Hello, the printer is broken.\n> Maria"


@pytest.mark.parametrize(
    "attribution",
    [
        "3 июня 2024 г., в 10:15, Мария <m@example.com> писал(а):",
        "Am 03.06.2024 um 10:15 schrieb Maria <m@example.com>:",
        "Le lun. 3 juin 2024 à 10:15, Marie <m@example.com> a écrit :",
        "El lun, 3 jun 2024 a las 10:15, Ana (<a@example.com>) escribió:",
        "Il giorno lun 3 giu 2024 alle ore 10:15 Maria <m@example.com> ha scritto:",
        "Op ma 3 jun. 2024 om 10:15 schreef Maria <m@example.com>:",
        "Em seg., 3 de jun. de 2024 às 10:15, Maria <m@example.com> escreveu:",
        "W dniu 3.06.2024 o 10:15, Maria <m@example.com> pisze:",
        "Den mån 3 juni 2024 kl 10:15 skrev Maria <m@example.com>:",
        "2024年6月3日(月) 10:15 Maria <m@example.com>:",
        "在 2024年6月3日 10:15，Maria <m@example.com> 写道：",
        "2024년 6월 3일 (월) 오전 10:15, Maria <m@example.com>님이 작성:",
        "Maria <m@example.com>, 3 Haz 2024 Pzt, 10:15 tarihinde şunu yazdı:",
        # A language the data does not list: the ":" line above ">" lines is enough.
        "Dňa 3. 6. 2024 o 10:15 Maria <m@example.com> napísala:",
        "Maria Lopez:",
    ],
)
def test_attribution_in_any_language_starts_the_quote(attribution: str) -> None:
    text = f"The printer works again.\n\n{attribution}{QUOTE}"
    got = _kinds(text)
    assert got == [("quote", f"{attribution}{QUOTE}")], got


def test_wrapped_attribution_without_known_words() -> None:
    text = "Done.\n\nDňa 3. 6. 2024 o 10:15 Maria Lopez <\nmaria@example.com> napísala:\n> Ahoj"
    assert _kinds(text) == [("quote", text[7:])]


def test_colon_line_before_prose_is_not_an_attribution() -> None:
    text = "Please try these steps:\nRestart the laptop.\n\nThen sign in again."
    assert detect_regions(text) == []
    # A sentence ending inside wrapped lines keeps the prose out of the quote.
    text = "I sent it on 3.6.2024.\nMaria wrote:\n> x"
    assert _kinds(text) == [("quote", "Maria wrote:\n> x")]


@pytest.mark.parametrize("rule", ["-----", "----------------", "________________________________"])
@pytest.mark.parametrize(
    "header",
    [
        "From: Maria\nSubject: Help",
        "Von: Maria\nAn: Desk",
        "De : Marie\nObjet : Aide",
        "Od: Maria\nTemat: Pomoc",
        "От: Мария\nТема: Помощь",
        "差出人: Maria\n件名: ヘルプ",
        "发件人: Maria\n主题: 帮助",
        "보낸 사람: Maria\n제목: 도움",
        "Kimden: Maria\nKonu: Yardım",
        "*From:* Maria\n*Sent:* Monday",
    ],
)
def test_rule_line_above_a_header_block_starts_history(rule: str, header: str) -> None:
    text = f"The printer works again.\n\n{rule}\n{header}\n\nOld message."
    got = _kinds(text)
    assert got == [("quote", f"{rule}\n{header}\n\nOld message.")], got


def test_rule_line_without_header_block_is_not_history() -> None:
    text = "Steps below.\n\n-----\nFrom: the start of next week, the VPN changes.\nPlease sign in."
    assert not [r for r in detect_regions(text) if r.kind in IGNORED]


@pytest.mark.parametrize(
    "line",
    [
        "Sent from my iPhone",
        "Sent from my Samsung Galaxy smartphone.",
        "Sent from my Verizon, Samsung Galaxy smartphone",
        "Sent from my iPhone. Please excuse typos.",
        "Get Outlook for Android",
        "Von meinem iPhone gesendet",
        "Envoyé de mon iPad",
    ],
)
def test_device_line_alone_is_a_signature(line: str) -> None:
    assert _kinds(f"Done.\n\n{line}") == [("signature", line)]


@pytest.mark.parametrize(
    "line",
    [
        "Sent from my laptop at home, the error appears again when I log in.",
        "Sent from my phone, the error appears again when I log in.",
        "Sent from my iPhone, but the app still crashes when I open it on the tablet.",
        "Sent from my Android phone. The update did not help at all.",
        "Sent from my work phone? No, from the desk one.",
    ],
)
def test_device_phrase_going_on_into_a_sentence_is_prose(line: str) -> None:
    assert not [r for r in detect_regions(f"Done.\n\n{line}") if r.kind in IGNORED]


# --- issue 10: every line break, offsets into the original text -----------------


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_line_break_style_gives_the_same_regions(newline: str) -> None:
    lines = [
        "Hi Maria,",
        "",
        "The printer works again.",
        "",
        "Thanks,",
        "Sam",
        "",
        "On Mon, 3 Jun 2024 at 10:15, Maria <m@example.com> wrote:",
        "> It is broken.",
    ]
    text = newline.join(lines)
    got = _kinds(text)
    assert [k for k, _ in got] == ["greeting", "signoff", "signature", "quote"]
    assert got[-1][1] == newline.join(lines[-2:])
    for r in detect_regions(text):
        assert text[r.start] not in "\r\n" and text[r.end - 1] not in "\r\n"


def test_mixed_line_breaks_keep_offsets() -> None:
    text = "Done.\r\rSent from my iPhone\r\n\n> old\rmore"
    got = detect_regions(text)
    assert [(r.kind, text[r.start : r.end]) for r in got] == [
        ("signature", "Sent from my iPhone"),
        ("quote", "> old"),
    ]


# --- issue 10: linear time ------------------------------------------------------
# Generous bounds (each runs in well under 1 s here; benchmarks/bench_regions.py prints
# the figures). The old code's times are noted beside each shape.

ADVERSARIAL = {
    "one long line": "word " * 40_000,  # old: 0.05 s
    "bare-CR lines": "Hello there\r" * 20_000,  # old: fast but found no line at all
    "quote lines": "> quoted line\n" * 10_000,  # old: 0.03 s
    "sign-off lines": "Thanks,\n" * 10_000,  # old: 6.4 s (quadratic look below each)
    "sign-offs and blanks": "Regards,\n\n" * 5_000,  # old: 4.4 s
    "dash delimiters": "--\n" * 10_000,  # old: 6.3 s (quadratic look below each)
    "header lines": "From: a\nTo: b\n" * 5_000,  # old: 0.13 s
    "colon lines": "Maria wrote:\n" * 10_000,
    "device lines": "Sent from my iPhone\n" * 10_000,
    "one long word": "a" * 100_000,  # old: 0.01 s
    "frame with many (": "Done.\n\n   at a" + "(" * 100_000,  # old: >30 s at 8,000 (cubic)
    "sign-off then spaces": "Done.\n\nThanks" + " " * 100_000 + "x",  # old: 1.2 s at 8,000
    "backticks": "`" * 100_000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_input_finishes_quickly(name: str) -> None:
    detect_regions("warm up the cached patterns")
    started = time.perf_counter()
    detect_regions(ADVERSARIAL[name])
    assert time.perf_counter() - started < 5


# --- issue 10: stability under edits of the writer's own lines ------------------

WORDS = ["printer", "laptop", "it", "a", "network", "password", "VPN", "again", "now"]
PROSE = st.lists(st.sampled_from(WORDS), min_size=3, max_size=14).map(
    lambda ws: "The " + " ".join(ws) + " works."
)
TAILS = st.sampled_from(
    [
        "Thanks,\nSam",
        "Kind regards,\n\nHelen Marsh\nIT Support\nTel: +1 555 0142",
        "-- \nSam\n555 0100",
        "Sent from my iPhone",
        "",
    ]
)
HISTORY = st.sampled_from(
    [
        "On Mon, 3 Jun 2024 at 10:15, Maria <m@example.com> wrote:\n> It broke.\n> Help",
        "Am 03.06.2024 um 10:15 schrieb Maria <m@example.com>:\n> Hallo",
        "________________________________\nFrom: Maria\nSent: Monday\nTo: Desk\nSubject: x\n\nold",
        "> just quoted",
        "",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prose=st.lists(PROSE, min_size=1, max_size=5),
    tail=TAILS,
    history=HISTORY,
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    data=st.data(),
)
def test_editing_prose_words_shifts_regions_only(
    prose: list[str], tail: str, history: str, newline: str, data: st.DataObject
) -> None:
    parts = ["Hi Maria,", "\n\n".join(prose), tail, history]
    text = "\n\n".join(p for p in parts if p).replace("\n", newline)
    before = detect_regions(text)
    # A word of the prose (never inside a region) replaced by a longer or shorter one.
    spans = [
        m.span()
        for m in re.finditer(rf"\b(?:{'|'.join(WORDS)})\b", text)
        if not any(r.start <= m.start() < r.end for r in before)
    ]
    if not spans:
        return
    start, end = data.draw(st.sampled_from(spans))
    word = data.draw(st.sampled_from(WORDS))
    edited = text[:start] + word + text[end:]
    shift = len(word) - (end - start)
    expected = [
        Region(r.start + shift, r.end + shift, r.kind) if r.start >= end else r for r in before
    ]
    assert detect_regions(edited) == expected
