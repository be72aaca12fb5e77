"""``clarity audit`` and ``clarity.audit``: the counts of ``clarity check``, resume after
a kill, bad rows, the other archive formats, ``map_partitions``, and the report in
headless Chromium, offline.

One in-process Dask cluster (one thread worker) serves the module; one test runs the
command in a real process cluster and kills it midway.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")
pytest.importorskip("vl_convert")

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import clarity
from _exe import clarity_exe, invoke

ROOT = Path(__file__).resolve().parents[1]
ROWS = 12
#: Partitions of this many rows: several per archive, so resume has something to skip.
SIZE = 3
#: Partitions of the test archive (its good rows and three bad ones).
PARTS = -(-(ROWS + 3) // SIZE)


def _make_archive() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_archive", ROOT / "benchmarks" / "make_archive.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return list(_make_archive().rows(ROWS, 200, seed=7))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, Any]]) -> Path:
    """JSON Lines: ROWS good records and three bad ones (not JSON, no text, a number)."""
    path = tmp_path_factory.mktemp("archive") / "replies.jsonl"
    lines = [json.dumps(r) for r in records]
    lines.insert(3, '{"reply": "not closed')
    lines.insert(8, json.dumps({"ticket_id": "X1", "agent": "agent-01"}))
    lines.insert(12, json.dumps({"ticket_id": "X2", "reply": 5}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plain_archive(tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, Any]]) -> Path:
    """The good records without the customer's message (``clarity check`` reads none)."""
    path = tmp_path_factory.mktemp("plain") / "replies.jsonl"
    lines = [json.dumps({k: v for k, v in r.items() if k != "customer"}) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        dashboard_address=":0",
        protocol="tcp",  # reachable by address: the --scheduler test connects to it
    )
    c = Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


@pytest.fixture(scope="module")
def audited(client: Any, archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audit") / "out"
    result = clarity.audit(archive, out, partition_size=SIZE, client=client)
    assert result.drafts == ROWS + 3 and result.bad == 3
    return out


def _check_jsonl(path: Path) -> dict[str, Any]:
    """``clarity check --format jsonl``: per source, its codes or its error."""
    done = invoke("check", str(path), "--format", "jsonl", "--fail-on", "never", "-q")
    assert done.returncode in (0, 2), done.stderr
    out: dict[str, Any] = {}
    for line in done.stdout.splitlines():
        data = json.loads(line)
        if "source" not in data:
            continue  # the summary line
        if "error" in data:
            out[data["source"]] = "error"
        else:
            found = data["findings"] + data.get("subject_findings", [])
            out[data["source"]] = Counter(f["code"] for f in found)
    return out


def _audit_codes(out: Path) -> dict[str, Any]:
    drafts = pd.read_parquet(out / "drafts.parquet", columns=["source", "error", "findings"])
    findings = pd.read_parquet(out / "findings.parquet", columns=["source", "code"])
    codes: dict[str, Any] = {s: Counter() for s in drafts.loc[drafts["error"].isna(), "source"]}
    for source in drafts.loc[drafts["error"].notna(), "source"]:
        codes[source] = "error"
    for source, code in zip(findings["source"], findings["code"], strict=True):
        codes[source][code] += 1
    return codes


def test_counts_equal_clarity_check_jsonl(client: Any, plain_archive: Path, tmp_path: Path) -> None:
    result = clarity.audit(
        plain_archive, tmp_path / "out", partition_size=SIZE, client=client, report=False
    )
    expected = _check_jsonl(plain_archive)
    got = _audit_codes(tmp_path / "out")
    assert got == expected
    # Not a vacuous match: some drafts (sampled from the development replies, most
    # of them fine to send) have findings.
    assert sum(sum(v.values()) > 0 for v in got.values()) >= 2
    assert result.findings == sum(sum(v.values()) for v in got.values())


def test_with_the_customers_message_counts_equal_clarity_check(
    audited: Path, records: list[dict[str, Any]]
) -> None:
    """Rows with a customer's message: as ``clarity.check(reply, incoming=message)``
    (``clarity check`` cannot take one message per row), T012 / T013 included."""
    got = _audit_codes(audited)
    checker = clarity.Checker(clarity.load_config())
    drafts = pd.read_parquet(audited / "drafts.parquet", columns=["source", "ticket_id"])
    by_id = dict(zip(drafts["ticket_id"], drafts["source"], strict=True))
    reply_codes = Counter()
    for r in records:
        report = checker.check_draft(clarity.Draft(r["reply"], incoming=r["customer"]))
        expected = Counter(f.code for f in (*report.subject_findings, *report.findings))
        assert got[by_id[r["ticket_id"]]] == expected, r["ticket_id"]
        reply_codes.update(c for c in expected.elements() if c in ("T012", "T013"))
    assert reply_codes, "no T012 / T013 in the archive: the test proves nothing about them"


def test_tables_keep_the_archive_columns(audited: Path, records: list[dict[str, Any]]) -> None:
    drafts = pd.read_parquet(audited / "drafts.parquet").sort_values("row")
    good = drafts[drafts["error"].isna()]
    assert list(good["ticket_id"]) == [r["ticket_id"] for r in records]
    assert list(good["agent"]) == [r["agent"] for r in records]
    assert list(good["has_incoming"]) == [r["customer"] is not None for r in records]
    assert good["words"].gt(0).all() and good["score"].between(0, 100).all()
    assert drafts["row"].is_unique
    findings = pd.read_parquet(audited / "findings.parquet")
    assert set(findings["team"]) <= {r["team"] for r in records}
    # Offsets index the reply: the finding's text is the reply's text at its span.
    texts = dict(zip(drafts["source"], drafts["text"], strict=True))
    for row in findings[findings["where"] == "text"].itertuples():
        assert texts[row.source][row.start : row.end] == row.text


def test_bad_rows_are_counted_and_listed(audited: Path) -> None:
    drafts = pd.read_parquet(audited / "drafts.parquet", columns=["source", "error"])
    bad = drafts[drafts["error"].notna()]
    assert sorted(bad["source"].str.rsplit(":", n=1).str[1]) == ["line 13", "line 4", "line 9"]
    assert bad["error"].str.contains("invalid JSON").sum() == 1
    html = (audited / "report.html").read_text(encoding="utf-8")
    assert "3 rows could not be checked" in html
    assert "line 4" in html and "invalid JSON" in html


def test_resume_after_a_failure_loses_and_duplicates_nothing(
    client: Any, archive: Path, audited: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"

    def stop(entry: dict[str, Any]) -> None:
        if entry["partition"] >= 1:
            raise KeyboardInterrupt  # as a Ctrl-C (or a kill) midway

    with pytest.raises(KeyboardInterrupt):
        clarity.audit(archive, out, partition_size=SIZE, client=client, on_partition=stop)
    done = (out / "manifest.jsonl").read_text().splitlines()[1:]
    assert 1 <= len(done) < PARTS
    # Without --resume the folder is refused; with it, the rest is done.
    with pytest.raises(clarity.InputError, match="--resume"):
        clarity.audit(archive, out, partition_size=SIZE, client=client)
    seen: list[int] = []
    result = clarity.audit(
        archive,
        out,
        partition_size=SIZE,
        client=client,
        resume=True,
        on_partition=lambda e: seen.append(e["partition"]),
    )
    assert result.skipped == len(done) and not set(seen) & {
        json.loads(d)["partition"] for d in done
    }
    assert _audit_codes(out) == _audit_codes(audited)
    rows = pd.read_parquet(out / "drafts.parquet", columns=["row"])["row"]
    assert rows.is_unique and len(rows) == ROWS + 3


def test_a_killed_process_cluster_run_resumes(
    client: Any, archive: Path, audited: Path, tmp_path: Path
) -> None:
    """The command in a real LocalCluster (worker processes), killed with SIGKILL once
    the manifest shows two partitions done, then resumed: nothing lost or doubled."""
    out = tmp_path / "out"
    cmd = [
        *clarity_exe(),
        "audit",
        str(archive),
        "--out",
        str(out),
        "-j",
        "1",
        "--partition-size",
        str(SIZE),
        "--no-report",
        "-q",
    ]
    proc = subprocess.Popen(cmd, start_new_session=True, stderr=subprocess.PIPE)
    manifest = out / "manifest.jsonl"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if manifest.exists() and len(manifest.read_text().splitlines()) >= 3:
                break
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    lines = manifest.read_text().splitlines()
    assert 3 <= len(lines) < 1 + PARTS, "the run was not killed midway"
    # Resumed here, on the module's cluster: the same archive and settings.
    result = clarity.audit(
        archive, out, partition_size=SIZE, client=client, resume=True, report=False
    )
    assert result.skipped == len(lines) - 1 and result.drafts == ROWS + 3
    assert _audit_codes(out) == _audit_codes(audited)
    rows = pd.read_parquet(out / "drafts.parquet", columns=["row"])["row"]
    assert rows.is_unique and len(rows) == ROWS + 3


def test_csv_and_parquet_archives_give_the_same_counts(
    client: Any, records: list[dict[str, Any]], tmp_path: Path
) -> None:
    few = records[:6]
    csv_path = tmp_path / "replies.csv"
    pd.DataFrame(few).to_csv(csv_path, index=False)
    parquet_path = tmp_path / "replies.parquet"
    pq.write_table(pa.Table.from_pylist(few), parquet_path)
    result = clarity.audit(
        [csv_path, parquet_path], tmp_path / "out", client=client, partition_size=SIZE, report=False
    )
    assert result.drafts == 2 * len(few) and result.bad == 0
    drafts, findings = result.tables()
    counts = findings.compute().groupby("source")["code"].count()
    by_file = {
        "csv": sorted(counts[counts.index.str.contains(".csv:")]),
        "parquet": sorted(counts[counts.index.str.contains(".parquet:")]),
    }
    assert by_file["csv"] == by_file["parquet"] and by_file["csv"]
    expected = _check_jsonl(csv_path)
    assert sum(sum(c.values()) for c in expected.values()) == int(counts.sum()) // 2
    assert set(drafts.compute()["team"]) == {r["team"] for r in few}


def test_an_existing_scheduler_by_address(
    client: Any, records: list[dict[str, Any]], tmp_path: Path
) -> None:
    """``--scheduler tcp://host:port``: a cluster the audit did not start."""
    path = tmp_path / "few.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records[:3]), encoding="utf-8")
    address = client.scheduler.address
    assert address.startswith("tcp://")
    result = clarity.audit(path, tmp_path / "out", scheduler=address, report=False)
    assert result.drafts == 3 and result.workers == 1
    assert client.status == "running"  # the audit closed its own client, not the cluster


def test_map_partitions_with_audit_partition(
    client: Any, records: list[dict[str, Any]], audited: Path
) -> None:
    import dask.dataframe as dd

    df = pd.DataFrame(records)
    ddf = dd.from_pandas(df, npartitions=2)
    drafts = ddf.map_partitions(
        clarity.audit_partition, text="reply", meta=clarity.audit.empty("drafts")
    ).compute()
    findings = ddf.map_partitions(
        clarity.audit_partition, table="findings", meta=clarity.audit.empty("findings")
    ).compute()
    assert len(drafts) == ROWS and drafts["error"].isna().all()
    whole = pd.read_parquet(audited / "drafts.parquet").dropna(subset=["words"])
    assert sorted(drafts["findings"]) == sorted(whole["findings"])
    assert len(findings) == int(drafts["findings"].sum())


def test_bad_input_is_one_line_and_exit_2(archive: Path, audited: Path, tmp_path: Path) -> None:
    cases = [
        (["audit", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o")], "no such file"),
        (["audit", str(ROOT / "README.md"), "--out", str(tmp_path / "o")], "not an archive"),
        (["audit", str(archive), "--out", str(audited)], "--resume"),
        (
            ["audit", str(archive), "--out", str(audited), "--resume", "--audience", "technical"],
            "settings changed",
        ),
    ]
    empty = tmp_path / "empty.csv"
    empty.write_text("id,reply\n", encoding="utf-8")
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("id,agent\n1,a\n", encoding="utf-8")
    cases += [
        (["audit", str(empty), "--out", str(tmp_path / "o")], "holds no rows"),
        (["audit", str(no_text), "--out", str(tmp_path / "o")], "no text column found"),
    ]
    for args, message in cases:
        done = invoke(*args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_import_clarity_does_not_import_dask() -> None:
    code = (
        "import sys, clarity; assert 'dask' not in sys.modules and 'pyarrow' not in sys.modules;"
        "assert callable(clarity.audit) and callable(clarity.audit_partition);"
        "assert 'dask' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --- the report, in headless Chromium ---------------------------------------------


def test_report_renders_offline_in_chromium(audited: Path, tmp_path: Path) -> None:
    from test_page import ARGS, CHROMIUM, _missing

    if _missing() is not None:  # pragma: no cover - test_page skips or fails the same way
        pytest.skip(str(_missing()))
    from playwright.sync_api import sync_playwright

    html = (audited / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "@import" not in html
    assert re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//|url\(\s*[\"']?https?:", html) is None
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1360, "height": 1000})
            page = context.new_page()

            def only_local(route: Any) -> None:
                url = route.request.url
                if url.startswith(("file:", "data:", "http://127.0.0.1")):
                    route.continue_()
                else:
                    outside.append(url)
                    route.abort()

            page.route("**/*", only_local)
            page.goto((audited / "report.html").as_uri())
            charts = page.locator("figure.chart")
            names = charts.evaluate_all("els => els.map(e => e.id)")
            assert {
                "chart-time",
                "chart-team",
                "chart-agent",
                "chart-jargon",
                "chart-score",
                "chart-grade",
                "chart-politeness",
                "chart-gate",
                "chart-reply",
            } <= set(names)
            for i in range(charts.count()):
                svg = charts.nth(i).locator("svg")
                assert svg.count() == 1, names[i]
                box = svg.bounding_box()
                assert box is not None and box["width"] > 50 and box["height"] > 50, names[i]
                assert svg.locator("path, rect, line, text").count() > 5, names[i]
            # The charts, down to the findings-by-rule table; the documentation's
            # screenshot when CLARITY_SCREENSHOTS names its folder (docs/img).
            end = page.locator("#codes").bounding_box()
            assert end is not None
            clip = {"x": 0, "y": 0, "width": 1360, "height": end["y"]}
            folder = os.environ.get("CLARITY_SCREENSHOTS")
            shot = Path(folder or tmp_path) / "audit-report.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot), full_page=True, clip=clip)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
    assert outside == []


def test_a_repeated_reply_is_checked_once_per_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    # An archive sends one macro thousands of times: its rows share one check.
    from clarity.audit import check as audit_check
    from clarity.config import Config
    from clarity.presend import Policy

    def row(n: int, text: str, error: str | None = None) -> dict[str, Any]:
        return {
            "row": n,
            "source": f"archive.jsonl:{n}",
            "text": text,
            "found": [],
            "subject": None,
            "incoming": None,
            "error": error,
            **dict.fromkeys(("ticket_id", "agent", "team", "created_at")),
        }

    macro = "Hi,\n\nPlease utilize the reset link in order to sign in.\n\nThanks,\nSam"
    other = "Hi Maria, your laptop is ready at the front desk. Thanks, Sam"
    config = Config()
    checker = audit_check.checker_for(config)
    seen: list[str] = []
    real = checker.check_many

    def spy(drafts: Any, **kwargs: Any) -> Any:
        drafts = list(drafts)
        seen.extend(d.text for d in drafts)
        return real(drafts, **kwargs)

    monkeypatch.setattr(checker, "check_many", spy)
    monkeypatch.setattr(audit_check, "_MEMO", type(audit_check._MEMO)())
    rows = [row(1, macro), row(2, other), row(3, macro), row(4, "", "no text"), row(5, macro)]
    drafts, findings = audit_check.check_rows(rows, config, Policy())
    assert sorted(seen) == sorted([macro, other])  # each distinct reply once
    again, _ = audit_check.check_rows([row(6, macro)], config, Policy())
    assert sorted(seen) == sorted([macro, other])  # remembered across partitions
    table = drafts.to_pandas()
    assert list(table["error"].isna()) == [True, True, True, False, True]
    per_row = findings.to_pandas().groupby("row")["code"].apply(list).to_dict()
    assert per_row[1] == per_row[3] == per_row[5] and "W001" in per_row[1]
    assert again.to_pandas()["findings"][0] == table["findings"][0]
