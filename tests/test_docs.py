"""The README shows what the commands print today."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from _exe import invoke

ROOT = Path(__file__).resolve().parents[1]


def _sample(command: str) -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"```text\n\$ " + re.escape(command) + r"\n(.*?)```", readme, re.S)
    assert m, f"the README has no sample of `{command}`"
    return m.group(1).splitlines()


def test_readme_sample_output_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    lines = _sample("clarity check examples/draft.txt")
    proc = invoke("check", "examples/draft.txt")
    printed = [line for line in proc.stdout.splitlines() if line]
    end = lines.index("$ echo $?")
    shown = [line for line in lines[:end] if line and line != "..."]
    code = lines[end + 1]
    assert shown[-1] == printed[-1], "the summary line"
    assert shown[:-1] == printed[: len(shown) - 1], "the first findings"
    assert str(proc.returncode) == code


def test_lexicon_size_in_the_docs_is_current() -> None:
    from clarity import lexicon

    size = f"{len(lexicon.builtin_terms()):,}"
    for page in ("README.md", "docs/performance.md", "docs/quality.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        said = re.findall(r"(\d,\d{3}) (?:entries|lexicon terms|terms)", text)
        assert said and set(said) == {size}, f"{page} gives the lexicon's size as {said}"
