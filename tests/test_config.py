from __future__ import annotations

from pathlib import Path

import pytest

from clarity.config import Config, load_config
from clarity.errors import ConfigError
from clarity.types import Severity


def test_defaults_follow_the_audience() -> None:
    assert Config().effective_target_grade == 8
    assert Config(audience="technical").effective_target_grade == 12
    assert Config(audience="technical", target_grade=10).effective_target_grade == 10


def test_unknown_audience_is_an_error() -> None:
    with pytest.raises(ConfigError, match="unknown audience"):
        Config(audience="children")


def test_select_and_ignore_by_prefix() -> None:
    c = Config(select=("J",), ignore=("J003",))
    assert c.is_enabled("J001")
    assert not c.is_enabled("J003")
    assert not c.is_enabled("R001")
    # the longest prefix wins
    c = Config(ignore=("R",), select=("R003",))
    assert c.is_enabled("R003") and not c.is_enabled("R001")


def test_severity_override_longest_prefix() -> None:
    c = Config(severity={"J": Severity.ERROR, "J003": Severity.INFO})
    assert c.severity_for("J001", Severity.WARNING) is Severity.ERROR
    assert c.severity_for("J003", Severity.WARNING) is Severity.INFO
    assert c.severity_for("R001", Severity.WARNING) is Severity.WARNING


def test_pyproject_section_is_found_upward(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clarity]\naudience = "technical"\naccept = ["SharePoint"]\n'
        'extra_lexicons = ["terms.csv"]\n[tool.clarity.severity]\nR003 = "warning"\n'
        "[tool.clarity.presend]\nmax_grade = 9\n"
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    c = load_config(deep)
    assert c.audience == "technical"
    assert c.accept == ("SharePoint",)
    assert c.extra_lexicons == (tmp_path / "terms.csv",)
    assert c.severity == {"R003": Severity.WARNING}
    assert c.origin == str(tmp_path / "pyproject.toml")


def test_clarity_toml_wins_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.clarity]\naudience = "technical"\n')
    (tmp_path / "clarity.toml").write_text("target_grade = 6\n")
    c = load_config(tmp_path)
    assert c.audience == "customer" and c.target_grade == 6


def test_overrides_beat_the_file(tmp_path: Path) -> None:
    (tmp_path / "clarity.toml").write_text('audience = "technical"\nmax_sentence_words = 30\n')
    c = load_config(tmp_path, audience="customer", max_sentence_words=None)
    assert c.audience == "customer" and c.max_sentence_words == 30


def test_pyproject_without_section_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "clarity.toml").write_text("target_grade = 7\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert load_config(inner).target_grade == 7


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("audience = 3\n", "must be a string"),
        ("target_grade = 'high'\n", "must be a number"),
        ("max_sentence_words = 0\n", "positive whole number"),
        ("colour = 'red'\n", "unknown setting"),
        ("[severity]\nJ001 = 'fatal'\n", "unknown severity"),
        ("this is not toml", "invalid TOML"),
    ],
)
def test_bad_settings_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "clarity.toml").write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


def test_named_file(tmp_path: Path) -> None:
    f = tmp_path / "team.toml"
    f.write_text('[tool.clarity]\naudience = "technical"\n')
    assert load_config(file=f).audience == "technical"
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(file=tmp_path / "missing.toml")
