"""The command line: in-process through click's runner (``invoke``), and end to end
through the installed entry point in a real process (``run_exe``) for exit codes,
standard input, a real file, ``--version`` and a one-line error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from _exe import invoke as run
from _exe import run_exe

ROOT = Path(__file__).resolve().parents[1]
DRAFT = ROOT / "examples" / "draft.txt"
PLAIN = ROOT / "examples" / "plain.txt"


def assert_clean_error(proc: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert fragment in proc.stderr
    assert proc.stderr.startswith("clarity: error:") or "Error:" in proc.stderr


def test_jargon_draft_fails_the_default_gate() -> None:
    proc = run_exe("check", str(DRAFT))  # end to end: a real file, a pipe for stdout
    assert proc.returncode == 1, proc.stderr
    assert f"{DRAFT}:" in proc.stdout
    assert "J001" in proc.stdout and "^" in proc.stdout
    assert "score" in proc.stdout and "grade" in proc.stdout
    assert "\x1b[" not in proc.stdout  # not a terminal: no colour


def test_plain_draft_passes() -> None:
    proc = run("check", str(PLAIN))
    assert proc.returncode == 0, proc.stdout


def test_json_output_is_versioned() -> None:
    proc = run("check", "--format", "json", str(DRAFT), str(PLAIN))
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["schema_version"] == "1.0"
    first, second = data["results"]
    assert first["source"] == str(DRAFT)
    assert first["text"] == DRAFT.read_text(encoding="utf-8")
    for key in ("findings", "readability", "score", "regions", "audience", "counts"):
        assert key in first
    f = first["findings"][0]
    for key in (
        "code",
        "rule",
        "category",
        "severity",
        "start",
        "end",
        "text",
        "message",
        "suggestions",
        "fix",
        "line",
        "column",
    ):
        assert key in f
    assert first["text"][f["start"] : f["end"]] == f["text"]
    assert second["counts"]["warning"] == 0


def test_stdin() -> None:
    proc = run_exe("check", "-", stdin=b"Please flush your DNS cache.")  # end to end
    assert proc.returncode == 1
    assert "<stdin>:1:" in proc.stdout


def test_fail_on_levels() -> None:
    text = b"The old laptop must be returned to the IT desk by Friday."
    assert run("check", "-", stdin=text).returncode == 0  # passive voice is info
    assert run("check", "--fail-on", "info", "-", stdin=text).returncode == 1
    assert run("check", "--fail-on", "never", str(DRAFT)).returncode == 0


def test_select_ignore_accept_audience() -> None:
    text = b"Please flush your DNS cache. It reduces latency."
    out = json.loads(run("check", "--format", "json", "--ignore", "J001", "-", stdin=text).stdout)
    assert "J001" not in {f["code"] for f in out["results"][0]["findings"]}
    out = json.loads(run("check", "--format", "json", "--select", "R", "-", stdin=text).stdout)
    assert all(f["code"].startswith("R") for f in out["results"][0]["findings"])
    out = json.loads(
        run("check", "--format", "json", "--accept", "latency", "-", stdin=text).stdout
    )
    assert "latency" not in {f["text"] for f in out["results"][0]["findings"]}
    proc = run("check", "--audience", "technical", "-", stdin=text)
    assert proc.returncode == 0, proc.stdout


def test_config_file_is_found_from_the_checked_file(tmp_path: Path) -> None:
    (tmp_path / "clarity.toml").write_text('ignore = ["J"]\n')
    draft = tmp_path / "reply.txt"
    draft.write_text("Please flush your DNS cache.", encoding="utf-8")
    proc = run("check", str(draft))
    assert proc.returncode == 0, proc.stdout
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "clarity.toml").write_text("audience = 'toddlers'\n")
    (bad / "r.txt").write_text("Hello.")
    assert_clean_error(run("check", str(bad / "r.txt")), "unknown audience")


def test_empty_and_whitespace_are_clean(tmp_path: Path) -> None:
    for content in (b"", b"   \n\t\n"):
        f = tmp_path / "empty.txt"
        f.write_bytes(content)
        proc = run("check", "--format", "json", str(f))
        assert proc.returncode == 0
        assert json.loads(proc.stdout)["results"][0]["findings"] == []


def test_bad_inputs_are_one_clear_line(tmp_path: Path) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_clean_error(run("check", str(binary)), "binary")
    assert_clean_error(run("check", str(tmp_path)), "is a directory")
    assert_clean_error(run("check", str(tmp_path / "nope.txt")), "no such file")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Café crème, naïve résumé.".encode("latin-1"))
    assert_clean_error(run("check", str(latin)), "not valid utf-8")
    assert run("check", "--encoding", "latin-1", str(latin)).returncode == 0
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"word " * 1_000_000)
    assert_clean_error(run("check", str(huge)), "limit")
    assert_clean_error(run("check", "-", stdin=b"a" * 300_000), "limit")
    proc = run("check", "--format", "nope", str(DRAFT))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    proc = run("check", "--format", "json", str(tmp_path / "missing.txt"), str(PLAIN))
    assert proc.returncode == 2
    results = json.loads(proc.stdout)["results"]
    assert "error" in results[0] and results[1]["source"] == str(PLAIN)


def test_colour_only_when_asked_and_never_with_no_color() -> None:
    assert "\x1b[" in run("check", "--color", str(DRAFT)).stdout
    assert "\x1b[" not in run("check", "--color", str(DRAFT), env={"NO_COLOR": "1"}).stdout


def test_rules_listing_and_docs() -> None:
    proc = run("rules")
    assert proc.returncode == 0
    for code in ("J001", "J002", "J003", "W001", "R001", "R002", "R003", "R004"):
        assert code in proc.stdout
    doc = run("rules", "J001")
    assert doc.returncode == 0
    for section in ("What it does", "Why it matters", "Example", "Use instead"):
        assert section in doc.stdout
    assert run("rules", "jargon-term").returncode == 0
    assert_clean_error(run("rules", "Z999"), "no rule")


def test_python_dash_m() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "clarity", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and "clarity" in proc.stdout


def test_entry_point_version_and_one_line_error(tmp_path: Path) -> None:
    """End to end: the console script's --version, and an error as one line, exit 2."""
    proc = run_exe("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("clarity")
    proc = run_exe("check", str(tmp_path / "nope.txt"))
    assert_clean_error(proc, "no such file")
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(flag: str) -> None:
    proc = run("check", flag)
    assert proc.returncode == 0 and "--fail-on" in proc.stdout


def test_rules_reference_in_docs_is_current() -> None:
    """docs/rules.md is generated from the docstrings; regenerate it when they change."""
    proc = run("rules", "--format", "markdown")
    assert proc.returncode == 0
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert proc.stdout == current, "run: clarity rules --format markdown > docs/rules.md"


# -- clarity fix ---------------------------------------------------------------------

WORDY = "Hi Sam,\r\n\r\nIn order to reset it, please utilize the form prior to Friday.\r\n"


def test_fix_prints_the_rewritten_text(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(WORDY.encode("utf-8"))
    proc = run("fix", str(f))
    assert proc.returncode == 1
    assert proc.stdout == "Hi Sam,\r\n\r\nTo reset it, please use the form before Friday.\r\n"
    assert f.read_bytes() == WORDY.encode("utf-8")  # untouched without --write


def test_fix_diff(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text("Please utilize the form.\n", encoding="utf-8")
    proc = run("fix", "--diff", str(f))
    assert proc.returncode == 1
    assert f"--- {f}" in proc.stdout and "-Please utilize the form." in proc.stdout
    assert "+Please use the form." in proc.stdout and "\x1b[" not in proc.stdout
    assert "\x1b[32m" in run("fix", "--diff", "--color", str(f)).stdout


def test_fix_write_keeps_encoding_and_line_endings(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Café: please utilize the form.\r\n".encode("cp1252"))
    proc = run("fix", "--write", "--encoding", "cp1252", str(latin))
    assert proc.returncode == 1, proc.stderr
    assert latin.read_bytes() == "Café: please use the form.\r\n".encode("cp1252")
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfPlease utilize the form.\n")
    assert run("fix", "--write", str(bom)).returncode == 1
    assert bom.read_bytes() == b"\xef\xbb\xbfPlease use the form.\n"


def test_fix_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("Thanks, Sam. Your printer works again.\n", encoding="utf-8")
    assert run("fix", "--write", str(clean)).returncode == 0
    jargon = tmp_path / "jargon.txt"
    jargon.write_text("We saw latency on the VPN.\n", encoding="utf-8")
    proc = run("fix", "--write", str(jargon))  # nothing safe to fix, but a warning remains
    assert proc.returncode == 1 and "nothing to fix" in proc.stderr
    assert run("fix", "--unsafe", str(jargon)).stdout != jargon.read_text(encoding="utf-8")
    assert_clean_error(run("fix", "--write", "-", stdin=b"x"), "standard input")
    assert_clean_error(run("fix", str(tmp_path / "missing.txt")), "no such file")
    assert run("fix", "-", stdin=b"Please utilize it.").stdout == "Please use it."


def test_check_fix_is_fix_write_and_spares_quoted_history(tmp_path: Path) -> None:
    draft = tmp_path / "reply.txt"
    draft.write_text(
        "Hi Sam,\n\nIn order to reset it, utilize the form.\n\n"
        "On Mon, 3 Nov 2026 at 10:00, Sam <sam@example.com> wrote:\n"
        "> In order to log in, utilize the app.\n",
        encoding="utf-8",
    )
    proc = run("check", "--fix", str(draft))
    assert proc.returncode == 1, proc.stderr
    assert draft.read_text(encoding="utf-8") == (
        "Hi Sam,\n\nTo reset it, use the form.\n\n"
        "On Mon, 3 Nov 2026 at 10:00, Sam <sam@example.com> wrote:\n"
        "> In order to log in, utilize the app.\n"
    )
    assert run("check", "--fix", str(draft)).returncode == 0
    assert_clean_error(run("check", "--fix", "-", stdin=b"x"), "standard input")
    assert_clean_error(run("check", "--unsafe", str(draft)), "--unsafe goes with --fix")
