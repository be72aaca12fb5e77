"""Tone in the report and the rules that read the customer's message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import clarity

ROOT = Path(__file__).resolve().parents[1]

POLITE = [
    "Hi Maria, thanks so much for your patience. Could you please restart the laptop "
    "when you have a moment? I really appreciate your help.",
    "Thank you for letting us know. Would you mind sending the error message? Thanks!",
    "I'm sorry about the trouble. Please let me know if the new password works.",
    "Hello Sam, I hope you are well. Could you try signing in again, please?",
    "Great question! I'd be happy to help you set up the printer.",
]
RUDE = [
    "As I already told you, read the FAQ. Stop opening tickets.",
    "Why didn't you send the log like I asked? This is your mistake.",
    "Whatever. It works on my machine, so the issue is on your end.",
    "You never read our emails. Do it yourself.",
    "That's not our problem. Figure it out.",
]


def test_report_has_tone(checker: clarity.Checker) -> None:
    report = checker.check(POLITE[0])
    tone = report.tone
    assert tone is not None
    assert 0.0 <= tone.politeness <= 1.0
    assert tone.label in {"polite", "neutral", "impolite"}
    assert len(tone.sentences) == 3
    for s in tone.sentences:
        assert 0 <= s.start < s.end <= len(report.text)
    for phrase in (*tone.polite_phrases, *tone.impolite_phrases):
        if phrase.start is not None and phrase.end is not None:
            assert report.text[phrase.start : phrase.end] == phrase.text
    assert all(p.weight > 0 for p in tone.polite_phrases)
    assert all(p.weight < 0 for p in tone.impolite_phrases)
    json.dumps(report.to_dict()["tone"])
    assert checker.check("").tone is None


def test_polite_replies_score_above_rude_ones(checker: clarity.Checker) -> None:
    polite = [checker.check(t).tone.politeness for t in POLITE]  # type: ignore[union-attr]
    rude = [checker.check(t).tone.politeness for t in RUDE]  # type: ignore[union-attr]
    assert min(polite) > max(rude), (polite, rude)
    assert all(checker.check(t).tone.label == "polite" for t in POLITE[:2])  # type: ignore[union-attr]


def test_impolite_sentence_names_its_phrases(checker: clarity.Checker) -> None:
    report = checker.check("Why didn't you send the log like I asked?")
    t011 = [f for f in report.findings if f.code == "T011"]
    assert t011 and "politeness" in t011[0].message
    assert not [f for f in checker.check(POLITE[1]).findings if f.code == "T011"]


UPSET = "This is the THIRD time my email has stopped working!! Nobody has fixed it."
QUESTIONS = "Will I lose my files? When will the laptop be ready?"


def test_upset_customer_needs_acknowledging(checker: clarity.Checker) -> None:
    cold = checker.check("Please restart Outlook and try again.", incoming=UPSET)
    assert [f.code for f in cold.findings].count("T012") == 1
    warm = checker.check(
        "I'm sorry your email stopped working again. Please restart Outlook.", incoming=UPSET
    )
    assert "T012" not in {f.code for f in warm.findings}
    calm = checker.check("Please restart Outlook.", incoming="My email stopped working.")
    assert "T012" not in {f.code for f in calm.findings}
    assert "T012" not in {f.code for f in checker.check("Please restart Outlook.").findings}


def test_unanswered_questions_are_quoted(checker: clarity.Checker) -> None:
    report = checker.check("Your laptop will be ready on Friday.", incoming=QUESTIONS)
    t013 = [f for f in report.findings if f.code == "T013"]
    assert len(t013) == 1 and "Will I lose my files?" in t013[0].message
    both = checker.check(
        "Your laptop will be ready on Friday, and you will not lose any files.",
        incoming=QUESTIONS,
    )
    assert "T013" not in {f.code for f in both.findings}


def test_reply_to_on_the_command_line(tmp_path: Path) -> None:
    customer = tmp_path / "customer.txt"
    customer.write_text(QUESTIONS, encoding="utf-8")
    reply = tmp_path / "reply.txt"
    reply.write_text("Your laptop will be ready on Friday.", encoding="utf-8")
    exe = Path(sys.executable).parent / "clarity"
    proc = subprocess.run(
        [str(exe), "check", "--format", "json", "--reply-to", str(customer), str(reply)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    data = json.loads(proc.stdout)
    codes = [f["code"] for f in data["results"][0]["findings"]]
    assert "T013" in codes and proc.returncode == 1
    assert data["results"][0]["tone"]["label"] in {"polite", "neutral", "impolite"}


def test_checking_never_imports_scikit_learn() -> None:
    code = (
        "import sys, clarity\n"
        "r = clarity.check('Could you please send the log? Thanks!', incoming='Why??')\n"
        "assert r.tone is not None\n"
        "print('sklearn' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_a_name_alone_on_the_last_line_is_no_order() -> None:
    """T004 does not read the writer's name signing off ("Rob") as the verb "rob"; the
    same word as a command inside the message is still one."""
    signed = (
        "The reader needs to be on the salon Wi-Fi, not the guest network. Go to"
        " Settings > Network and pick SalonMain.\n\nRob"
    )
    report = clarity.check(signed)
    assert not [f for f in report.findings if f.code == "T004" and f.text == "Rob"]
    ordered = clarity.check("Hi Jo,\n\nStop.\n\nFix it now.")
    assert [f for f in ordered.findings if f.code == "T004"]
