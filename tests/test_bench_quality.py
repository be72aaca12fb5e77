"""The matching and counting of ``benchmarks/bench_quality.py``, on its own sample data
(``benchmarks/quality/sample.jsonl``) and tiny hand-made cases."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from clarity import Category, Finding, Severity

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "benchmarks" / "quality" / "sample.jsonl"


def _load_bench() -> ModuleType:
    path = ROOT / "benchmarks" / "bench_quality.py"
    spec = importlib.util.spec_from_file_location("bench_quality", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_quality"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bq = _load_bench()


def finding(code: str, text: str, start: int, severity: Severity = Severity.WARNING) -> Finding:
    category = {"J": Category.JARGON, "W": Category.WORDINESS}.get(code[0], Category.TONE)
    return Finding(code, code.lower(), category, severity, start, start + len(text), text, "m")


def item(**fields: object) -> object:
    data: dict[str, object] = {"id": "t-1", "reply": "", "customer": None}
    data.update(fields)
    it, _ = bq.item_from_dict(data)
    return it


# ------------------------------------------------------------------ the sample file


def test_sample_file_follows_the_guide() -> None:
    items, warnings, digest = bq.load([SAMPLE])
    assert len(items) == 10 and len(digest) == 12
    assert warnings == []
    assert len({i.id for i in items}) == 10
    fine = [i for i in items if i.fine_to_send]
    assert 4 <= len(fine) <= 6
    for i in items:
        assert i.fine_to_send == (not i.problems)
        for fam in bq.SPAN_FAMILIES:
            assert all(bq.occurrences(i.reply, label) for label in i.labels(fam))
        for q in i.questions:
            assert i.customer is not None and q["text"] in i.customer


def test_sample_labels_matched_by_hand_made_findings() -> None:
    items = {i.id: i for i in bq.load([SAMPLE])[0]}
    it = items["sample-010"]  # "token" occurs twice: both occurrences count
    second = it.reply.index("token", it.reply.index("token") + 1)
    r = bq.match_item(it, [finding("J001", "token", second), finding("J001", "Settings", 0)])
    assert [f.matched for f in r.findings] == [True, False]
    found = [bool(codes) for codes in r.found_by["jargon"]]
    assert found == [label == "token" for label in it.jargon]


# --------------------------------------------------------------------------- spans


def test_occurrences_all_then_case_insensitive() -> None:
    assert bq.occurrences("VPN, then the VPN again", "VPN") == [(0, 3), (14, 17)]
    assert bq.occurrences("aaa", "aa") == [(0, 2), (1, 3)]
    assert bq.occurrences("In order to fix it", "in order to") == [(0, 11)]
    assert bq.occurrences("nothing here", "DNS") == []
    assert bq.occurrences("text", "") == []


def test_overlap_is_half_open() -> None:
    assert bq.overlaps(0, 5, 4, 9)
    assert bq.overlaps(2, 3, 0, 10)
    assert not bq.overlaps(0, 5, 5, 9)  # touching is not overlapping
    assert not bq.overlaps(6, 9, 0, 5)


def test_finding_overlapping_a_label_counts_one_outside_does_not() -> None:
    reply = "Please flush your DNS cache, then flush it again in order to be sure."
    it = item(reply=reply, jargon=["DNS cache", "flush"], wordy=["in order to"])
    findings = [
        finding("J002", "DNS", reply.index("DNS")),  # part of "DNS cache": overlaps
        finding("J001", "again", reply.index("again")),  # outside every label
        finding("J003", "flush", reply.rindex("flush"), Severity.INFO),  # 2nd occurrence
        finding("W001", "in order to", reply.index("in order to"), Severity.INFO),
        finding("J001", "sure", reply.index("sure")),
    ]
    r = bq.match_item(it, findings)
    assert [f.matched for f in r.findings] == [True, False, True, True, False]
    assert r.found_by["jargon"] == [["J002"], ["J003"]]
    assert r.found_by["wordy"] == [["W001"]]
    rows = bq.rule_figures([r])
    assert (rows["jargon"]["findings"], rows["jargon"]["tp"]) == (4, 2)
    assert rows["jargon"]["precision"] == 0.5
    assert (rows["jargon"]["labels"], rows["jargon"]["found"]) == (2, 2)
    assert (rows["J001"]["findings"], rows["J001"]["tp"], rows["J001"]["found"]) == (2, 0, 0)
    assert rows["J002"]["found"] == 1 and rows["J002"]["recall"] == 0.5
    assert rows["W001"]["precision"] == 1.0 and rows["W001"]["recall"] == 1.0
    assert rows["W001"]["findings"] == 1


def test_families_do_not_cross() -> None:
    reply = "Obviously you should restart it in order to fix it."
    it = item(reply=reply, tone=[{"kind": "condescending", "text": "Obviously"}])
    r = bq.match_item(
        it,
        [finding("J001", "Obviously", 0), finding("T002", "Obviously", 0)],
    )
    assert [f.matched for f in r.findings] == [False, True]
    rows = bq.rule_figures([r])
    assert rows["tone:condescending"]["labels"] == 1
    assert rows["tone:condescending"]["found"] == 1


def test_unlabelled_rules_are_counted_not_matched() -> None:
    reply = "Hello. This is a reply."
    a = bq.match_item(item(reply=reply), [finding("R003", "is a", 13), finding("T009", "H", 0)])
    b = bq.match_item(item(id="t-2", reply=reply, fine_to_send=False, problems=["hard"]), [])
    assert all(f.matched is None for f in a.findings)
    rows = bq.unlabelled_figures([a, b])
    assert rows["R003"] == {
        "findings": 1,
        "items": 1,
        "share": 0.5,
        "share_fine": 1.0,
        "share_problem": 0.0,
    }
    assert rows["T009"]["items"] == 1 and "J001" not in rows and "T013" not in rows


# ------------------------------------------------------------------- per-item rules


def test_t013_counted_per_item_and_per_question() -> None:
    reply = "Your laptop is ready."
    questions = [
        {"text": "Will I lose files?", "answered": False},
        {"text": "When?", "answered": False},
        {"text": "Where?", "answered": True},
    ]
    two_open = item(
        id="a", reply=reply, customer="Will I lose files? When? Where?", questions=questions
    )
    answered = item(
        id="b", reply=reply, customer="When?", questions=[{"text": "When?", "answered": True}]
    )
    none_found = item(
        id="c", reply=reply, customer="Why?", questions=[{"text": "Why?", "answered": False}]
    )
    t013 = finding("T013", reply, 0)
    results = [
        bq.match_item(two_open, [t013]),  # TP (item), 1 of 2 questions
        bq.match_item(answered, [t013, t013]),  # FP: nothing unanswered
        bq.match_item(none_found, []),  # missed
    ]
    assert [f.matched for r in results for f in r.findings] == [True, False, False]
    rows = bq.rule_figures(results)
    item_row, q_row = rows["T013"], rows["T013/q"]
    assert (item_row["findings"], item_row["tp"], item_row["labels"], item_row["found"]) == (
        2,
        1,
        2,
        1,
    )
    assert item_row["raw_findings"] == 3
    assert (q_row["findings"], q_row["tp"], q_row["labels"], q_row["found"]) == (3, 1, 3, 1)


def test_t012_against_upset_and_not_acknowledged() -> None:
    reply = "Restart it."
    t012 = finding("T012", reply, 0)
    upset = item(id="a", reply=reply, customer="!!", upset=True, acknowledged=False)
    calm = item(id="b", reply=reply, customer="hi", upset=False)
    thanked = item(id="c", reply=reply, customer="!!", upset=True, acknowledged=True)
    results = [bq.match_item(upset, [t012]), bq.match_item(calm, [t012])]
    results.append(bq.match_item(thanked, []))
    rows = bq.rule_figures(results)
    assert (rows["T012"]["findings"], rows["T012"]["tp"]) == (2, 1)
    assert (rows["T012"]["labels"], rows["T012"]["found"]) == (1, 1)


def test_r004_against_hard() -> None:
    hard = item(id="a", reply="x", fine_to_send=False, problems=["hard"])
    easy = item(id="b", reply="x")
    results = [bq.match_item(hard, []), bq.match_item(easy, [finding("R004", "x", 0)])]
    row = bq.rule_figures(results)["R004"]
    assert (row["findings"], row["tp"], row["labels"], row["found"]) == (1, 0, 1, 0)


# --------------------------------------------------------------------------- gate


def _gated(iid: str, problems: list[str], allowed: bool, codes: tuple[str, ...] = ()) -> object:
    r = bq.match_item(item(id=iid, reply="x", problems=problems), [])
    r.allowed = allowed
    r.blocking_codes = codes
    r.reasons = ("severity",) if codes else ()
    r.score = 90 if not problems else 60
    return r


def test_gate_rates_and_false_alarms() -> None:
    results = [
        _gated("f1", [], True),
        _gated("f2", [], True),
        _gated("f3", [], False, ("J001", "T013")),
        _gated("f4", [], False, ("J001",)),
        _gated("p1", ["jargon"], False, ("J001",)),
        _gated("p2", ["tone", "unanswered"], True),
    ]
    g = bq.gate_figures(results)
    assert (g["fine_items"], g["fine_passed"], g["fine_passed_share"]) == (4, 2, 0.5)
    assert (g["problem_items"], g["problem_held"], g["problem_held_share"]) == (2, 1, 0.5)
    assert g["accuracy"] == 0.5
    assert g["false_alarm_codes"] == {"J001": 2, "T013": 1}
    assert g["false_alarm_reasons"] == {"severity": 2}
    assert g["held_by_problem"]["jargon"] == {"items": 1, "held": 1, "held_share": 1.0}
    assert g["missed_problems"] == {"tone": 1, "unanswered": 1}
    s = bq.score_figures(results)
    assert s["fine"]["mean"] == 90 and s["tone"]["mean"] == 60
    assert s["fine_above_tone"] is True and s["hard"]["mean"] is None


def test_plain_jargon_and_changes() -> None:
    plain = bq.match_item(item(id="a", reply="Your VPN is on."), [finding("J002", "VPN", 5)])
    labelled = bq.match_item(item(id="b", reply="VPN", jargon=["VPN"]), [])
    pj = bq.plain_jargon_figures([plain, labelled])
    assert (pj["items"], pj["findings"], pj["items_with_jargon"]) == (1, 1, 1)
    assert pj["by_code"] == {"J002": 1}
    before = bq.figures([labelled])
    now = bq.figures([plain, labelled])
    lines = bq.changes(now, before)
    assert any("plain replies with jargon findings" in x and "(new)" in x for x in lines)
    assert bq.changes(now, now) == []


# ------------------------------------------------------------------- end to end


def test_heldout_findings_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert bq.main(["--set", "heldout", "--findings", "/dev/null"]) == 2
    assert "refused" in capsys.readouterr().out
    assert bq.is_private([Path("x/heldout.jsonl")])
    assert not bq.is_private([SAMPLE], "sample")


def test_runs_on_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, dump = tmp_path / "figures.json", tmp_path / "findings.jsonl"
    assert bq.main(["--set", str(SAMPLE), "--json", str(out), "--findings", str(dump)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("$ python benchmarks/bench_quality.py --set ")
    assert "clarity " in printed and "== Pre-send gate" in printed
    data = json.loads(out.read_text())
    assert data["figures"]["items"] == 10 and len(data["items"]) == 10
    gate = data["figures"]["gate"]
    assert gate["fine_items"] == 5 and gate["problem_items"] == 5
    records = [json.loads(line) for line in dump.read_text().splitlines()]
    assert records and all(r["matched"] in (True, False, None) for r in records)
    assert {r["id"] for r in records} <= {f"sample-{n:03d}" for n in range(1, 11)}
    # Deterministic: a second run gives the same figures.
    assert bq.main(["--set", str(SAMPLE), "--json", str(out)]) == 0
    assert json.loads(out.read_text())["figures"] == data["figures"]


def test_load_skips_broken_lines_and_names_no_texts(tmp_path: Path) -> None:
    good = {"id": "h-1", "reply": "Please restart.", "jargon": ["SECRET TERM"], "problems": []}
    path = tmp_path / "heldout.jsonl"
    path.write_text(json.dumps(good) + "\n" + '{"id": "h-2", "reply": "cut sho\n', "utf-8")
    items, warnings, _ = bq.load([path])
    assert [i.id for i in items] == ["h-1"]
    assert any("heldout.jsonl:2" in w and "skipped" in w for w in warnings)
    assert any("h-1: jargon label #1 is not in the reply" in w for w in warnings)
    assert not any("SECRET" in w or "cut sho" in w for w in warnings)
