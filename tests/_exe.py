"""Two ways for the tests to run the ``clarity`` command.

``invoke`` runs it in this process through click's :class:`~click.testing.CliRunner`:
the command group ``clarity.cli.main`` that the console script runs, with its own
standard input, output and error, its exit code, and the pipeline already loaded (a
new process spends a second or more importing spaCy and loading the model).
``run_exe`` runs the installed console script in a real process; a few end-to-end
tests use it to prove the entry point itself (exit codes, standard input, a real
file, ``--version``, an error as one line).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner

from clarity.cli import main


def clarity_exe() -> list[str]:
    exe = Path(sys.executable).parent / "clarity"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("clarity")
    assert found, "the clarity console script is not installed"
    return [found]


def invoke(
    *args: str, stdin: bytes | None = None, env: Mapping[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    """``clarity ARGS`` in this process, as a :class:`subprocess.CompletedProcess`.

    ``NO_COLOR`` is unset unless ``env`` sets it (``None`` in ``env`` unsets a
    variable). Output is kept exactly as written (``color=True``: click strips nothing;
    whether to colour is the command's own choice, and its streams are not terminals).
    An exception other than ``SystemExit`` is raised again, with its traceback: the
    console script would have turned it into "internal error", which no test accepts.
    """
    runner = CliRunner(charset="utf-8")
    result = runner.invoke(
        main,
        list(args),
        input=stdin,
        env={"NO_COLOR": None, **(env or {})},
        prog_name="clarity",
        color=True,
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    # Decoded as a real process's output would be: Result.stdout turns \r\n into \n.
    out, err = result.stdout_bytes.decode("utf-8"), result.stderr_bytes.decode("utf-8")
    return subprocess.CompletedProcess(["clarity", *args], result.exit_code, out, err)


def run_exe(
    *args: str,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``clarity ARGS`` through the installed console script, in a new process, with
    the environment ``env`` (default: this one without ``NO_COLOR``)."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.run(
        [*clarity_exe(), *args],
        input=stdin,
        capture_output=True,
        env=dict(env),
        cwd=cwd,
        timeout=300,
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )
