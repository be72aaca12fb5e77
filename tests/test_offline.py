"""clarity works fully offline: a full check with every socket blocked.

The check runs in a fresh interpreter whose socket module refuses to resolve or
connect, so any attempt (a model download, ``nltk.download``, a telemetry ping)
fails the test instead of quietly reaching the network.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLOCK = r"""
import socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(repr(args[:2]))
    raise OSError("network blocked by clarity's offline test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
socket.gethostbyname = refuse
"""

RUN = r"""
import json, sys
import clarity
text = open(sys.argv[1], encoding="utf-8").read()
report = clarity.check(text)
assert report.findings, "the example draft should have findings"
assert report.readability.grade > 0
print("API", json.dumps({
    "attempts": attempts,
    "codes": sorted({f.code for f in report.findings}),
    "nltk_imported": "nltk" in sys.modules,
    "sklearn_imported": "sklearn" in sys.modules,
}))
"""

CLI = r"""
from clarity.cli import main
sys.argv = ['clarity', 'check', '--format', 'json', sys.argv[1]]
try:
    main()
except SystemExit as e:
    print('EXIT', e.code, len(attempts))
"""


def test_full_check_and_cli_with_sockets_blocked() -> None:
    """One fresh interpreter (loading spaCy once): the API, then the command line."""
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK + RUN + CLI, str(ROOT / "examples" / "draft.txt")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = proc.stdout.strip().splitlines()
    api = [line.removeprefix("API ") for line in lines if line.startswith("API ")]
    assert len(api) == 1, proc.stderr[-2000:]
    out = json.loads(api[0])
    assert out["attempts"] == []
    assert not out["nltk_imported"], "textstat must not pull in NLTK (and its downloader)"
    assert {"J001", "W001"} <= set(out["codes"])
    # The command line, after the check: exit 1 (the draft has warnings), no attempts.
    assert lines[-1] == "EXIT 1 0", proc.stderr[-2000:]
    assert proc.returncode == 0, proc.stderr[-2000:]
