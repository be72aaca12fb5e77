"""``clarity hook``: in-process (``_exe.invoke``), through the installed entry point,
and the documented recipes (git send-email's ``sendemail-validate``, the sendmail
wrapper, pre-commit), which run the real command in real processes."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from _exe import invoke, run_exe
from clarity.errors import InputError
from clarity.hook import HookOptions, parse_input, render_verdict, run_hook
from live_server import CLARITY, LiveServer

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "examples" / "hooks"
DRAFT = (ROOT / "examples" / "draft.txt").read_bytes()
PLAIN = (ROOT / "examples" / "plain.txt").read_bytes()
BIN = str(Path(CLARITY).parent)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLARITY_")}
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env.update(extra)
    return env


def hook(
    *args: str, data: bytes, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``clarity hook ARGS`` in-process, run from ``cwd``, with no ``CLARITY_*``
    variables but those in ``env``."""
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CLARITY_")}
    before = Path.cwd()
    os.chdir(cwd)
    try:
        return invoke("hook", *args, stdin=data, env={**unset, **(env or {})})
    finally:
        os.chdir(before)


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("clarity: error: ")
    return lines[0]


# --- the command, through the entry point -------------------------------------------


def test_plain_reply_is_allowed_exit_0(tmp_path: Path) -> None:
    proc = run_exe("hook", stdin=PLAIN, cwd=tmp_path, env=_env())  # end to end
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("clarity: allowed: score ")
    assert proc.stdout.count("\n") == 1


def test_jargon_reply_is_blocked_exit_1(tmp_path: Path) -> None:
    proc = hook("-", data=DRAFT, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    first, *rest = proc.stdout.splitlines()
    assert first.startswith("clarity: blocked: ")
    assert any(": J001 [warning] “latency” is jargon" in line for line in rest)
    assert any("more (clarity hook --format json lists them)" in line for line in rest)
    assert "safe fixes are available" in proc.stdout


def test_json_in_json_out(tmp_path: Path) -> None:
    payload = {
        "text": "Please flush your DNS cache.",
        "incoming": "My pages load slowly.",
        "audience": "technical",
        "ticket": 4711,  # a tool's own fields are ignored
    }
    proc = hook("--format", "json", data=json.dumps(payload).encode(), cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert isinstance(data["allowed"], bool)
    assert data["allowed"] is (proc.returncode == 0)
    assert data["incoming"] == "My pages load slowly."
    assert data["result"]["audience"] == "technical"
    assert data["schema_version"] == "1.0"

    payload["audience"] = None
    proc = hook("--format", "json", data=json.dumps(payload).encode(), cwd=tmp_path)
    data = json.loads(proc.stdout)
    assert proc.returncode == 1 and data["allowed"] is False
    # Two unexplained terms: one alone would be a hint (info), not a reason to hold.
    assert [b["code"] for b in data["blocking"]] == ["J001", "J001"]


@pytest.mark.parametrize(
    ("data", "args", "message"),
    [
        (b'{"text": "Hello", ', (), "invalid JSON"),
        (b'["text"]', ("--kind", "json"), "expected a JSON object"),
        (b'{"incoming": "Hi"}', (), 'needs "text"'),
        (b'{"text": 5}', (), 'needs "text"'),
        (b'{"text": "Hi", "audience": 3}', (), '"audience" must be a string'),
        (b"\x00\x01\x02binary\x00" * 50, (), "binary"),
        (b"\xff\xfeH\x00i\x00" + b"\xff" * 3, ("--kind", "text"), "<stdin>"),
        (b"Hi.\n" + b"a" * (4 * 1024 * 1024), (), "byte limit"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(
    tmp_path: Path, data: bytes, args: tuple[str, ...], message: str
) -> None:
    proc = hook(*args, data=data, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in one_error_line(proc.stderr)
    assert proc.stdout == ""


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    proc = hook("--fail-on", "loud", data=PLAIN, cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = hook(str(tmp_path / "missing.eml"), data=b"", cwd=tmp_path)
    assert proc.returncode == 2
    assert "missing.eml" in one_error_line(proc.stderr)
    (tmp_path / "pyproject.toml").write_text("[tool.clarity.presend]\nmax_jargon = -3\n")
    proc = hook(data=PLAIN, cwd=tmp_path)
    assert proc.returncode == 2
    assert "max_jargon" in one_error_line(proc.stderr)


# --- reading the input and the policy, in-process -----------------------------------


def run(data: bytes, **options: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_hook(io.BytesIO(data), HookOptions(**options), out, err)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


EML = textwrap.dedent(
    """\
    From: Sam <sam@example.com>
    To: Maria <maria@example.com>
    Subject: Re: slow pages
    Content-Type: text/plain; charset=utf-8

    Hi Maria,

    Thanks for your message. Please restart your computer and try again.
    If it still fails, reply to this email and we will call you.

    Sam

    On Mon, 3 Jun 2024, Maria wrote:
    > The SSO portal times out and the latency makes my VPN drop.
    """
).encode()

PATCH = textwrap.dedent(
    """\
    From 1234567890abcdef Mon Sep 17 00:00:00 2001
    From: Sam <sam@example.com>
    Date: Mon, 3 Jun 2024 10:00:00 +0000
    Subject: [PATCH] Reword the welcome reply

    Make the welcome reply shorter and kinder.
    ---
     replies/welcome.txt | 2 +-
     1 file changed, 1 insertion(+), 1 deletion(-)

    diff --git a/replies/welcome.txt b/replies/welcome.txt
    --- a/replies/welcome.txt
    +++ b/replies/welcome.txt
    @@ -1 +1 @@
    -Please flush your DNS cache and authenticate via SSO to remediate the latency.
    +Please restart your computer and sign in again.
    """
).encode()


def test_eml_body_is_judged_not_the_quoted_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    draft = parse_input(EML)
    assert draft.kind == "eml" and draft.subject == "Re: slow pages"
    assert "quote" in {r.kind for r in draft.regions}
    code, out, err = run(EML)
    assert code == 0, out + err
    assert out.startswith("clarity: allowed")


def test_patch_diff_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    draft = parse_input(PATCH)
    text = draft.text
    diff_at = text.index("---\n")
    assert any(r.start <= diff_at and r.end >= len(text.rstrip()) for r in draft.regions)
    code, out, _ = run(PATCH)
    assert code == 0, out


def test_kinds_are_detected() -> None:
    assert parse_input(b'  {"text": "Hi"}').kind == "json"
    assert parse_input(b'\xef\xbb\xbf{"text": "Hi"}').kind == "json"
    assert parse_input(EML).kind == "eml"
    assert parse_input(b"From the desk of Sam:\nHello.").kind == "text"
    assert parse_input(b"Hi\r\nthere").text == "Hi\nthere"
    with pytest.raises(InputError, match="unknown kind"):
        parse_input(b"Hi", kind="pdf")


def test_policy_from_the_config_and_the_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clarity.presend]\nfail_on = "never"\n', encoding="utf-8"
    )
    code, out, _ = run(DRAFT)
    assert code == 0 and out.startswith("clarity: allowed")
    code, out, _ = run(DRAFT, policy={"max_jargon": 3})
    assert code == 1
    assert "jargon terms" in out and "the maximum is 3" in out
    code, out, _ = run(DRAFT, policy={"max_grade": 9.5}, fmt="json")
    data = json.loads(out)
    assert code == 1 and [r["kind"] for r in data["reasons"]] == ["grade"]
    assert data["policy"]["fail_on"] == "never"


def test_render_verdict_lists_subject_findings() -> None:
    data = {
        "allowed": False,
        "summary": "blocked: 1 finding at or above warning (S002)",
        "reasons": [{"kind": "severity", "message": "1 finding at or above warning (S002)"}],
        "blocking": [{"code": "S002", "severity": "warning", "start": 0, "end": 6}],
        "rewritten": "Hello",
        "result": {
            "text": "Hello",
            "findings": [],
            "subject_findings": [
                {
                    "code": "S002",
                    "severity": "warning",
                    "start": 0,
                    "end": 6,
                    "line": None,
                    "column": 1,
                    "message": "Subject line in capital letters",
                }
            ],
        },
    }
    assert render_verdict(data).splitlines()[1] == (
        "  subject:1: S002 [warning] Subject line in capital letters"
    )


# --- through a running service -------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("hook-serve"))
    try:
        live.wait_ready()
        yield live
    finally:
        live.stop()


def test_hook_with_server_gives_the_local_verdict(tmp_path: Path, server: LiveServer) -> None:
    local = hook("--format", "json", data=DRAFT, cwd=tmp_path)
    remote = hook("--format", "json", data=DRAFT, cwd=tmp_path, env={"CLARITY_SERVER": server.url})
    assert (local.returncode, remote.returncode) == (1, 1), remote.stderr
    a, b = json.loads(local.stdout), json.loads(remote.stdout)
    assert a == b
    remote = hook("--server", server.url, "--fail-on", "never", data=DRAFT, cwd=tmp_path)
    assert remote.returncode == 0 and remote.stdout.startswith("clarity: allowed")
    # The settings and the policy found here go with the draft.
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clarity]\naudience = "technical"\n[tool.clarity.presend]\nmax_jargon = 0\n'
        'fail_on = "error"\n',
        encoding="utf-8",
    )
    # A term even IT colleagues may not know (technical=0 in the lexicon) is jargon
    # for the technical audience too.
    draft = DRAFT.replace(b"Kind regards", b"Your Kerberos ticket had expired.\n\nKind regards")
    remote = hook("--format", "json", data=draft, cwd=tmp_path, env={"CLARITY_SERVER": server.url})
    data = json.loads(remote.stdout)
    assert data["result"]["audience"] == "technical"
    assert data["policy"] == {
        "fail_on": "error",
        "max_grade": None,
        "min_politeness": None,
        "max_jargon": 0,
    }
    assert [r["kind"] for r in data["reasons"]] == ["jargon"]
    assert data == json.loads(hook("--format", "json", data=draft, cwd=tmp_path).stdout)


def test_hook_with_unreachable_server_exits_2(tmp_path: Path) -> None:
    proc = hook("--server", "http://127.0.0.1:9", data=PLAIN, cwd=tmp_path)
    assert proc.returncode == 2
    assert "cannot reach the clarity service" in one_error_line(proc.stderr)


# --- the recipes in docs/presend.md ---------------------------------------------------

FAKE_SENDMAIL = """#!/bin/sh
cat > "{out}/sent.eml"
echo "$@" > "{out}/sent.args"
"""


def _fake_sendmail(folder: Path) -> Path:
    path = folder / "fake-sendmail"
    path.write_text(FAKE_SENDMAIL.format(out=folder), encoding="utf-8")
    path.chmod(0o755)
    return path


def _mail(body: bytes) -> bytes:
    head = b"From: Sam <sam@example.com>\nTo: maria@example.com\nSubject: Your ticket\n\n"
    return head + body


def _has_send_email() -> bool:
    git = shutil.which("git")
    if git is None:
        return False
    exec_path = subprocess.run([git, "--exec-path"], capture_output=True, text=True).stdout
    return Path(exec_path.strip(), "git-send-email").exists()


@pytest.mark.skipif(not _has_send_email(), reason="git send-email is not installed (git-email)")
def test_recipe_git_sendemail_validate(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    env = _env(
        GIT_CONFIG_GLOBAL="/dev/null",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(tmp_path),
        GIT_AUTHOR_NAME="Sam",
        GIT_AUTHOR_EMAIL="sam@example.com",
        GIT_COMMITTER_NAME="Sam",
        GIT_COMMITTER_EMAIL="sam@example.com",
    )
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    hooks = repo / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    shutil.copy(HOOKS / "sendemail-validate", hooks / "sendemail-validate")
    sendmail = _fake_sendmail(tmp_path)
    (repo / "blocked.eml").write_bytes(_mail(DRAFT))
    (repo / "plain.eml").write_bytes(_mail(PLAIN))

    def send(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                "git",
                "send-email",
                "--confirm=never",
                "--from=Sam <sam@example.com>",
                "--to=maria@example.com",
                f"--smtp-server={sendmail}",
                name,
            ],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    held = send("blocked.eml")
    assert held.returncode != 0
    assert "rejected by sendemail-validate hook" in held.stderr
    assert "clarity: blocked" in held.stdout + held.stderr
    assert not (tmp_path / "sent.eml").exists()

    sent = send("plain.eml")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert PLAIN.splitlines()[2] in (tmp_path / "sent.eml").read_bytes()


def test_recipe_sendmail_wrapper(tmp_path: Path, server: LiveServer) -> None:
    wrapper = HOOKS / "clarity-sendmail"
    sendmail = _fake_sendmail(tmp_path)
    env = _env(CLARITY_SENDMAIL=str(sendmail), CLARITY_SERVER=server.url)

    def send(message: bytes, **extra: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            ["sh", str(wrapper), "-oem", "-oi", "maria@example.com"],
            input=message,
            capture_output=True,
            env={**env, **extra},
            cwd=tmp_path,
            timeout=120,
        )

    held = send(_mail(DRAFT))
    assert held.returncode == 1
    assert b"clarity: blocked" in held.stderr and b"message held" in held.stderr
    assert not (tmp_path / "sent.eml").exists()

    sent = send(_mail(PLAIN))
    assert sent.returncode == 0, sent.stderr
    assert (tmp_path / "sent.eml").read_bytes() == _mail(PLAIN)
    assert (tmp_path / "sent.args").read_text().split() == ["-oem", "-oi", "maria@example.com"]
    (tmp_path / "sent.eml").unlink()

    # clarity failing holds the message by default (exit 75), sends with ON_ERROR=send.
    broken = send(_mail(PLAIN), CLARITY_SERVER="http://127.0.0.1:9")
    assert broken.returncode == 75 and not (tmp_path / "sent.eml").exists()
    forced = send(_mail(PLAIN), CLARITY_SERVER="http://127.0.0.1:9", CLARITY_ON_ERROR="send")
    assert forced.returncode == 0 and (tmp_path / "sent.eml").exists()
    (tmp_path / "sent.eml").unlink()
    skipped = send(_mail(DRAFT), CLARITY_SKIP="1")
    assert skipped.returncode == 0 and (tmp_path / "sent.eml").exists()


def _pre_commit() -> str | None:
    found = Path(CLARITY).with_name("pre-commit")
    return str(found) if found.exists() else shutil.which("pre-commit")


@pytest.mark.skipif(_pre_commit() is None, reason="pre-commit is not installed")
def test_recipe_pre_commit(tmp_path: Path) -> None:
    """The manifest is valid, and a repository of canned replies gates on clarity.

    ``language: python`` (the manifest) makes pre-commit build a virtualenv and install
    clarity and its model from a package index, which needs the network; this test uses
    the same hook as a ``repo: local`` hook with ``language: system`` (offline), and the
    manifest's ``entry``, ``files`` and ``types``.
    """
    import yaml

    pre_commit = _pre_commit()
    assert pre_commit is not None
    manifest = ROOT / ".pre-commit-hooks.yaml"
    subprocess.run([pre_commit, "validate-manifest", str(manifest)], check=True)
    (hook_def,) = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert hook_def["id"] == "clarity" and hook_def["entry"] == "clarity check"
    repo = tmp_path / "replies"
    repo.mkdir()
    env = _env(
        GIT_CONFIG_GLOBAL="/dev/null",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(tmp_path),
        PRE_COMMIT_HOME=str(tmp_path / "cache"),
    )
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True, env=env)
    local = {
        "repos": [
            {
                "repo": "local",
                "hooks": [
                    {
                        **{k: hook_def[k] for k in ("id", "name", "entry", "files", "types")},
                        "entry": f"{CLARITY} check",
                        "language": "system",
                    }
                ],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(local), encoding="utf-8")
    (repo / "welcome.txt").write_bytes(PLAIN)
    (repo / "notes.py").write_text("x = 'flush your DNS cache'\n")  # not a reply
    subprocess.run([*git, "add", "."], cwd=repo, check=True, env=env)
    ok = subprocess.run(
        [pre_commit, "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "clarity" in ok.stdout and "Passed" in ok.stdout

    (repo / "outage.md").write_bytes(DRAFT)
    subprocess.run([*git, "add", "outage.md"], cwd=repo, check=True, env=env)
    bad = subprocess.run(
        [pre_commit, "run", "--files", "outage.md"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert "Failed" in bad.stdout and "outage.md:3:" in bad.stdout and "J001" in bad.stdout
    commit = subprocess.run(
        [pre_commit, "install"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert commit.returncode == 0, commit.stderr
    refused = subprocess.run(
        [*git, "commit", "-q", "-m", "canned replies"], cwd=repo, env=env, capture_output=True
    )
    assert refused.returncode != 0
