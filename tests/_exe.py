"""The installed ``clarity`` console script, for tests that run the real entry point."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def clarity_exe() -> list[str]:
    exe = Path(sys.executable).parent / "clarity"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("clarity")
    assert found, "the clarity console script is not installed"
    return [found]
