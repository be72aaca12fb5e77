"""A real ``clarity serve`` in a subprocess, on a free loopback port, for the tests.

Started through the installed ``clarity`` entry point, its standard error captured to
a file (the tests read it to prove that no message text is logged).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

CLARITY = str(Path(sys.executable).with_name("clarity"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LiveServer:
    """``clarity serve`` with ``args``; ``log`` holds its standard error once stopped."""

    def __init__(self, tmp: Path, *args: str, env: dict[str, str] | None = None) -> None:
        pytest.importorskip("uvicorn")
        pytest.importorskip("starlette")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"serve-{self.port}.log"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("CLARITY_")}
        full_env.update(env or {})
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [CLARITY, "serve", "--port", str(self.port), *args],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=tmp,
        )

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"clarity serve exited: {self.log_path.read_text()}")
            try:
                status, _, data = self.request("GET", "/healthz")
            except OSError:
                status, data = 0, None
            if status == 200:
                return
            if isinstance(data, dict) and data.get("status") == "error":
                raise RuntimeError(f"clarity serve failed to start: {data.get('error')}")
            time.sleep(0.1)
        raise RuntimeError(f"clarity serve not ready: {self.log_path.read_text()}")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
    ) -> tuple[int, dict[str, str], Any]:
        """``(status, headers, JSON body or text)`` of one request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            hdrs = dict(headers or {})
            if isinstance(body, dict):
                body = json.dumps(body).encode("utf-8")
                hdrs.setdefault("Content-Type", "application/json")
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
            got = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        data: Any = raw.decode("utf-8", "replace")
        if got.get("content-type", "").startswith("application/json"):
            data = json.loads(raw)
        return resp.status, got, data

    def stop(self) -> str:
        """Stop the server; returns what it logged."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.log_path.read_text(encoding="utf-8", errors="replace")
