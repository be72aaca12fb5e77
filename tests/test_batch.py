"""Batch mode and the new inputs, through the ``clarity`` command (in-process, see
``_exe.invoke``) and the batch runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from _exe import invoke as run
from clarity.batch import BatchOptions, Summary, iter_paths, run_batch

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EMAIL = DATA / "email"
TICKETS = DATA / "tickets"


def jsonl(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_eml_through_the_cli_reports_regions_and_subject() -> None:
    proc = run("check", "--format", "json", str(EMAIL / "gmail_reply.eml"))
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    (result,) = data["results"]
    assert result["subject"] == "Re: VPN keeps dropping"
    assert result["meta"]["from"] == "Sam Lee <sam.lee@example.com>"
    kinds = [r["kind"] for r in result["regions"]]
    assert kinds == ["greeting", "signoff", "signature", "quote"]
    quote = next(r for r in result["regions"] if r["kind"] == "quote")
    assert result["text"][quote["start"] :].startswith("On Mon, 3 Jun 2024")
    for f in result["findings"]:
        assert f["end"] <= quote["start"], f
    assert data["summary"]["documents"] == 1


def test_subject_findings_in_text_output() -> None:
    proc = run("check", "--fail-on", "info", str(EMAIL / "outlook_android_mislabelled.eml"))
    assert proc.returncode == 1
    assert "outlook_android_mislabelled.eml:subject:1: S003" in proc.stdout
    assert "RE: RE: Fwd: Locked out" in proc.stdout


def test_csv_batch_reports_bad_rows_and_continues() -> None:
    path = TICKETS / "tickets.csv"
    proc = run("check", "--format", "jsonl", "--fail-on", "never", str(path))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"clarity: error: {path}:row 3: malformed CSV" in proc.stderr
    assert f"clarity: error: {path}:row 5: has 6 fields" in proc.stderr
    lines = jsonl(proc.stdout)
    assert [line.get("source") for line in lines[:-1]] == [f"{path}:row {n}" for n in range(1, 7)]
    assert "error" in lines[2] and "error" in lines[4]
    assert lines[0]["meta"]["id"] == "101" and lines[0]["subject"] == "Password reset"
    summary = lines[-1]["summary"]
    assert summary["documents"] == 4 and summary["unreadable"] == 2
    assert summary["findings"].get("J001", 0) >= 1


def test_jsonl_batch_with_workers_matches_one_process(tmp_path: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "plain_replies").glob("*.txt"))]
    texts += [(ROOT / "examples" / "draft.txt").read_text(encoding="utf-8")]
    batch = tmp_path / "batch.jsonl"
    with batch.open("w", encoding="utf-8") as fh:
        for n in range(40):
            if n == 17:
                fh.write("{not json\n")
                continue
            record = {"id": n, "subject": f"Ticket {n}", "body": texts[n % len(texts)]}
            fh.write(json.dumps(record) + "\n")
    one = run("check", "--format", "jsonl", "--jobs", "1", str(batch))
    two = run("check", "--format", "jsonl", "--jobs", "2", str(batch))
    assert one.returncode == two.returncode == 2
    assert "Traceback" not in two.stderr
    a, b = jsonl(one.stdout), jsonl(two.stdout)
    assert len(a) == len(b) == 41
    assert [x.get("source") for x in b[:-1]] == [f"{batch}:line {n}" for n in range(1, 41)]
    for x, y in zip(a[:-1], b[:-1], strict=True):
        assert x == y
    sa, sb = a[-1]["summary"], b[-1]["summary"]
    sa.pop("seconds"), sb.pop("seconds")
    assert sa == sb and sa["documents"] == 39 and sa["unreadable"] == 1
    assert sum(sa["grades"].values()) == 39


def test_directories_with_include_and_exclude(tmp_path: Path) -> None:
    (tmp_path / "sub" / "archive").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("Please restart the laptop.", encoding="utf-8")
    shutil.copy(EMAIL / "apple_mail_iphone.eml", tmp_path / "sub" / "b.eml")
    (tmp_path / "sub" / "archive" / "c.txt").write_text("Old.", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".git" / "d.txt").write_text("Git.", encoding="utf-8")
    found = list(iter_paths([str(tmp_path)], exclude=["archive"]))
    assert found == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.eml")]
    found = list(iter_paths([str(tmp_path)], include=["*.eml"]))
    assert found == [str(tmp_path / "sub" / "b.eml")]
    proc = run("check", "--format", "json", "--exclude", "archive", str(tmp_path))
    assert proc.returncode in (0, 1), proc.stderr
    sources = [r["source"] for r in json.loads(proc.stdout)["results"]]
    assert sources == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.eml")]
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run("check", str(empty))
    assert proc.returncode == 2 and "is a directory with no files to check" in proc.stderr


def test_kind_plain_turns_regions_off() -> None:
    path = str(DATA / "drafts" / "pasted_history.txt")
    with_regions = json.loads(run("check", "--format", "json", path).stdout)["results"][0]
    plain = json.loads(run("check", "--format", "json", "--kind", "plain", path).stdout)
    plain_result = plain["results"][0]
    assert with_regions["regions"] and plain_result["regions"] == []
    quoted = {f["text"] for f in plain_result["findings"]}
    kept = {f["text"] for f in with_regions["findings"]}
    assert "escalate" in quoted and "escalate" not in kept


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((str(EMAIL / "not_an_email.eml"),), "not an e-mail message (no header lines)"),
        ((str(EMAIL / "attachment_only.eml"),), "no text body"),
        ((str(TICKETS / "broken.json"),), "invalid JSON"),
        ((str(TICKETS / "no_draft.json"),), "no draft text found"),
        (("--column", "reply", str(TICKETS / "tickets.csv")), "no column 'reply'"),
        (("--kind", "csv", "-"), "--kind csv reads a file"),
    ],
)
def test_bad_input_is_one_clear_line(args: tuple[str, ...], fragment: str) -> None:
    proc = run("check", *args, stdin=b"")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("clarity: error:") and fragment in proc.stderr


def test_a_bad_file_does_not_stop_the_batch() -> None:
    good = str(EMAIL / "thunderbird_inline.eml")
    proc = run("check", "--format", "json", str(EMAIL / "not_an_email.eml"), good)
    assert proc.returncode == 2
    results = json.loads(proc.stdout)["results"]
    assert "error" in results[0] and results[1]["source"] == good


def test_text_summary_and_quiet() -> None:
    paths = [str(EMAIL / "gmail_reply.eml"), str(EMAIL / "thunderbird_inline.eml")]
    proc = run("check", "--fail-on", "never", *paths)
    assert proc.returncode == 0
    assert "Summary: 2 drafts checked" in proc.stdout and "grade:" in proc.stdout
    assert proc.stderr == ""  # no progress line when standard error is not a terminal
    quiet = run("check", "--fail-on", "never", "--quiet", *paths)
    assert "Summary:" not in quiet.stdout


def test_eml_on_standard_input_is_recognised() -> None:
    proc = run("check", "--format", "json", "-", stdin=(EMAIL / "gmail_reply.eml").read_bytes())
    result = json.loads(proc.stdout)["results"][0]
    assert result["source"] == "<stdin>" and result["subject"] == "Re: VPN keeps dropping"


def test_run_batch_in_process_and_progress(tmp_path: Path) -> None:
    import io

    out, err = io.StringIO(), io.StringIO()
    paths = [str(EMAIL / "apple_mail_iphone.eml"), str(EMAIL / "gmail_html_only.eml")]
    options = BatchOptions(fmt="jsonl", jobs=1, progress=True, fail_on=None)
    assert run_batch(paths, options, out, err) == 0
    lines = jsonl(out.getvalue())
    assert len(lines) == 3 and lines[1]["meta"]["body"] == "html"
    assert "] 1/2 · 0 unreadable" in err.getvalue()  # a bar: the total is known
    assert err.getvalue().endswith("\r\x1b[K")  # cleared at the end


def test_summary_is_bounded_and_skips_missing_tone() -> None:
    from clarity.batch import DocStats, Outcome

    s = Summary()
    for n in range(1000):
        stats = DocStats(words=10, grade=n % 16, score=90, codes=("J001",), jargon=("dns",))
        s.add(Outcome(f"r{n}", "", 0, stats=stats))
    s.add(Outcome("bad", "", 2, error="bad"))
    data = s.to_dict()
    assert data["documents"] == 1000 and data["unreadable"] == 1
    assert data["jargon"] == [{"term": "dns", "count": 1000}]
    assert "tone" not in data and sum(data["grades"].values()) == 1000
    s.add(Outcome("t", "", 0, stats=DocStats(1, 1.0, 100, (), (), tone="friendly")))
    assert s.to_dict()["tone"] == {"friendly": 1}
