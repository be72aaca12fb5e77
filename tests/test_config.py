from __future__ import annotations

import dataclasses
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import clarity
from clarity import limits
from clarity.cli import main
from clarity.config import (
    AUDIENCES,
    FAIL_ON,
    FAIL_ON_NEVER,
    Config,
    check_options,
    load_config,
    parse_fail_on,
    public_settings,
    rule_codes,
)
from clarity.errors import ConfigError, DataError
from clarity.lexicon import lexicon
from clarity.limits import MAX_CHARS_CEILING, MAX_CONFIG_BYTES, MAX_LEXICON_BYTES, SETTING_RANGES
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


def test_opt_in_rules_run_only_when_selected_by_code(checker: clarity.Checker) -> None:
    """T009/T010 (no greeting, no sign-off) are off by default, by prefix too, and on
    when ``select`` names them."""
    draft = (
        "Your new laptop is ready for you at the front desk, next to the lifts. We "
        "copied your files and your bookmarks across, and your printer is set up. "
        "Bring your old laptop when you come. It takes about ten minutes to swap."
    )
    assert not {"T009", "T010"} & {f.code for f in checker.check(draft).findings}
    assert not Config().is_enabled("T009", opt_in=True)
    assert not Config(select=("T",)).is_enabled("T009", opt_in=True)
    assert not Config(select=("T009",), ignore=("T009",)).is_enabled("T009", opt_in=True)
    chosen = clarity.Checker(Config(select=("T009", "T010", "J")))
    codes = {f.code for f in chosen.check(draft).findings}
    assert {"T009", "T010"} <= codes and "T004" not in codes


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
        ("max_sentence_words = 0\n", "whole number from 1"),
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


# --- rule codes and prefixes: a typo must not switch a check off ----------------------


def test_every_registered_code_and_its_prefixes_are_accepted() -> None:
    codes = rule_codes()
    assert "J001" in codes and len(codes) >= 20
    for code in codes:
        for prefix in (code[:1], code[:-1], code):
            Config(select=(prefix,), ignore=(prefix,), severity={prefix: Severity.INFO})


@pytest.mark.parametrize(
    ("setting", "toml_key", "hint"),
    [
        ('select = ["J", "J01"]', "tool.clarity.select", "'J001'"),
        ('ignore = ["X9"]', "tool.clarity.ignore", "J, R, S, T, W"),
        ('ignore = "R001, R01"', "tool.clarity.ignore", "'R001'"),
        ('select = ["j001"]', "tool.clarity.select", "upper case: did you mean 'J001'"),
        ('select = [""]', "tool.clarity.select", "empty rule code"),
        ('severity = { ZZZ = "error" }', "tool.clarity.severity.ZZZ", "J, R, S, T, W"),
        ('severity = { "J 1" = "error" }', 'tool.clarity.severity."J 1"', "J, R, S, T, W"),
    ],
)
def test_unknown_codes_in_a_file_name_the_file_key_and_nearest_codes(
    tmp_path: Path, setting: str, toml_key: str, hint: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.clarity]\n{setting}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{path}: setting {toml_key}")
    assert hint in message
    assert "\n" not in message


def test_unknown_code_in_a_severity_table_of_clarity_toml(tmp_path: Path) -> None:
    (tmp_path / "clarity.toml").write_text('[severity]\nZZZ = "error"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"clarity.toml: setting severity.ZZZ: .*'ZZZ'"):
        load_config(tmp_path)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"select": ["J01"]},
            r"setting 'select': unknown rule code or prefix 'J01' \(did you mean 'J001'\?\)",
        ),
        ({"ignore": "X9"}, r"setting 'ignore': unknown rule code or prefix 'X9'"),
        ({"severity": {"ZZZ": "error"}}, r"setting 'severity' key 'ZZZ': unknown rule code"),
    ],
)
def test_unknown_codes_as_keywords(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config().replace(**changes)
    with pytest.raises(ConfigError, match=message):
        load_config(**changes)


def test_a_config_built_directly_refuses_unknown_codes() -> None:
    with pytest.raises(ConfigError, match="'J01'"):
        Config(select=("J01",))
    with pytest.raises(ConfigError, match="'ZZZ'"):
        Config(severity={"ZZZ": Severity.ERROR})


def test_check_options_names_the_command_line_option() -> None:
    with pytest.raises(ConfigError, match=r"^option --select: unknown rule code .*'J01'"):
        check_options({"select": ("J01",), "ignore": None})
    with pytest.raises(ConfigError, match=r"^option --target-grade must be a number"):
        check_options({"target_grade": math.nan})
    check_options({"select": ("J", "R001"), "ignore": ("J00",), "audience": None})


def test_cli_refuses_a_typo_in_select_with_one_line(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Please restart your computer.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--select", "J01", str(draft)])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "'J01'" in lines[0] and "J001" in lines[0]
    assert result.stdout == ""


def test_cli_refuses_a_pyproject_that_is_not_utf8_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[tool.clarity]\naudience = "caf\xe9"\n')
    draft = tmp_path / "draft.txt"
    draft.write_text("Please restart your computer.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(draft)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert f"{tmp_path / 'pyproject.toml'}: not valid UTF-8 (byte 30, line 2)" in lines[0]
    assert "Traceback" not in result.stderr


# --- unknown keys -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[tool.clarity]\ntarget_grad = 7\n",
            r"unknown setting tool.clarity.target_grad "
            r"\(did you mean tool.clarity.target_grade\?\)",
        ),
        (
            "[tool.clarity.severty]\nJ001 = 'error'\n",
            r"unknown setting tool.clarity.severty \(did you mean tool.clarity.severity\?\)",
        ),
        (
            "[tool.clarity.presnd]\nmax_jargon = 1\n",
            r"unknown setting tool.clarity.presnd \(did you mean tool.clarity.presend\?\)",
        ),
        ("[tool.clarity]\npresend = 3\n", r"setting tool.clarity.presend must be a table"),
        ("[tool]\nclarity = 3\n", r"tool.clarity must be a table"),
    ],
)
def test_unknown_keys_and_tables_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"^{re.escape(str(path))}: {message}"):
        load_config(tmp_path)


def test_the_presend_table_is_left_to_the_policy(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.clarity]\naudience = 'technical'\n[tool.clarity.presend]\nmax_jargon = 1\n",
        encoding="utf-8",
    )
    assert load_config(tmp_path).audience == "technical"


def test_named_pyproject_without_a_clarity_table_has_no_settings(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname = 'x'\n[build-system]\nrequires = []\n", encoding="utf-8")
    assert load_config(file=path) == Config(origin=str(path))


# --- bad files ----------------------------------------------------------------------


def _load_error(**kwargs: Any) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(**kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_config_not_utf8_names_the_file_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b"[tool.clarity]\n# caf\xe9\n")
    deep = tmp_path / "a"
    deep.mkdir()
    assert _load_error(start=deep) == f"{path}: not valid UTF-8 (byte 20, line 2)"
    named = tmp_path / "team.toml"
    named.write_bytes(b"\xff\xfeaudience = 'technical'\n")  # UTF-16 from Notepad
    assert _load_error(file=named) == f"{named}: not valid UTF-8 (byte 0, line 1)"


def test_config_invalid_toml_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text("audience = \n", encoding="utf-8")
    assert _load_error(file=path).startswith(f"{path}: invalid TOML: ")


def test_config_nested_too_deeply_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert _load_error(file=path).startswith(f"{path}: invalid TOML")


def test_config_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_bytes(b"\xef\xbb\xbfaudience = 'technical'\n")
    assert load_config(file=path).audience == "technical"


def test_config_that_is_a_folder_missing_or_under_a_file(tmp_path: Path) -> None:
    assert _load_error(file=tmp_path) == f"{tmp_path}: is a folder, not a configuration file"
    missing = tmp_path / "missing.toml"
    assert _load_error(file=missing) == f"{missing}: no such configuration file"
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    under = tmp_path / "plain" / "clarity.toml"
    assert _load_error(file=under) == f"{under}: cannot read (Not a directory)"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_config_unreadable(tmp_path: Path) -> None:  # pragma: no cover - not as root
    path = tmp_path / "clarity.toml"
    path.write_text("target_grade = 7\n", encoding="utf-8")
    path.chmod(0)
    assert _load_error(file=path) == f"{path}: cannot read (Permission denied)"


def test_config_too_large_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "clarity.toml"
    path.write_text("#" * MAX_CONFIG_BYTES + "\n", encoding="utf-8")
    assert _load_error(file=path) == f"{path}: larger than 1 MiB; not a configuration file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_config_from_an_endless_device_ends() -> None:
    # Before: read_config_file said "no such configuration file" and, past that check,
    # tomllib.load would have read /dev/zero until memory ran out.
    assert _load_error(file="/dev/zero") == "/dev/zero: larger than 1 MiB; not a configuration file"


# --- numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["target_grade", "max_sentence_grade", "rare_word_zipf"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "-1"])
def test_absurd_decimal_settings_are_refused(tmp_path: Path, name: str, value: str) -> None:
    path = tmp_path / "clarity.toml"
    path.write_text(f"{name} = {value}\n", encoding="utf-8")
    message = _load_error(start=tmp_path)
    assert message.startswith(f"{path}: setting {name} must be a number from 0 to ")
    with pytest.raises(ConfigError, match=f"setting '{name}' must be a number from 0 to"):
        Config().replace(**{name: float(value)})
    with pytest.raises(ConfigError, match=f"setting '{name}' must be"):
        Config(**{name: float(value)})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("max_sentence_words", "0", "whole number from 1 to 1,000 (got 0)"),
        ("max_sentence_words", "100000", "whole number from 1 to 1,000 (got 100000)"),
        ("max_sentence_words", "25.5", "must be a whole number from 1 to 1,000"),
        ("max_chars", "10000000000000000000", "from 1 to 1,000,000 (got 10000000000000000000)"),
        ("max_chars", "nan", "must be a whole number from 1 to 1,000,000"),
        ("max_chars", "true", "must be a whole number"),
    ],
)
def test_absurd_whole_number_settings_are_refused(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    (tmp_path / "clarity.toml").write_text(f"{name} = {value}\n", encoding="utf-8")
    assert message in _load_error(start=tmp_path)


def test_numbers_within_range_are_kept() -> None:
    c = Config().replace(target_grade=0, max_sentence_grade=30, rare_word_zipf=8)
    assert (c.target_grade, c.max_sentence_grade, c.rare_word_zipf) == (0.0, 30.0, 8.0)
    assert Config().replace(max_chars=MAX_CHARS_CEILING).max_chars == MAX_CHARS_CEILING
    assert set(SETTING_RANGES) <= {f.name for f in dataclasses.fields(Config)}


# --- extra lexicons -----------------------------------------------------------------

HEADER = b"term,plain,category,technical\n"


def _lexicon_error(path: Path) -> str:
    with pytest.raises(DataError) as info:
        lexicon([path])
    message = str(info.value)
    assert "\n" not in message
    return message


def test_lexicon_not_utf8_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_bytes(HEADER + b"router,box,networking,0\ncaf\xe9,x,networking,0\n")
    assert _lexicon_error(path) == f"{path}:3: not valid UTF-8 (byte 57)"


def test_lexicon_binary_missing_folder_oversized(tmp_path: Path) -> None:
    binary = tmp_path / "terms.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00")
    assert _lexicon_error(binary) == f"{binary}:1: a NUL byte: binary, not a lexicon file"
    missing = tmp_path / "nope.csv"
    assert _lexicon_error(missing) == f"{missing}: no such lexicon file"
    assert _lexicon_error(tmp_path) == f"{tmp_path}: is a folder, not a lexicon file"
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.write(HEADER)
        fh.write(b"x" * MAX_LEXICON_BYTES)
    assert _lexicon_error(big) == f"{big}: larger than 16 MiB; not a lexicon file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_lexicon_from_an_endless_device_ends() -> None:
    assert _lexicon_error(Path("/dev/zero")).startswith("/dev/zero: larger than")


def test_lexicon_bad_rows_and_bad_csv_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_bytes(HEADER + b"router,box,networking,0\nswitch,box,kitchen,0\n")
    assert _lexicon_error(path).startswith(f"{path}:3: unknown category 'kitchen'")
    path.write_bytes(HEADER + b"router,box,networking,0\n" + b'"' + b"x" * 200_000 + b'"\n')
    assert _lexicon_error(path).startswith(f"{path}: invalid CSV after line 2: field larger")


def test_lexicon_fix_column_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_bytes(b"term,plain,category,technical,fix\nrouter,box,networking,0,maybe\n")
    assert _lexicon_error(path) == f"{path}:2: column 'fix' must be 'swap' or 'display'"
    path.write_bytes(b"term,plain,category,technical,fix\nflux,time part,devices,0,display\n")
    assert not next(t for t in lexicon([path]) if t.term == "flux").swappable


def test_good_extra_lexicon_loads(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_bytes(HEADER + b"flux capacitor,time machine part,devices,0\n")
    assert any(t.term == "flux capacitor" for t in lexicon([path]))


def test_a_bad_extra_lexicon_reaches_the_user_as_a_data_error(tmp_path: Path) -> None:
    # Before: "internal error (UnicodeDecodeError: ...)" without the file's name.
    (tmp_path / "terms.csv").write_bytes(HEADER + b"caf\xe9,x,networking,0\n")
    (tmp_path / "clarity.toml").write_text('extra_lexicons = ["terms.csv"]\n', encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("Please restart your computer.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(draft)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert f"{tmp_path / 'terms.csv'}:2: not valid UTF-8 (byte 33)" in lines[0]
    assert "internal error" not in lines[0]


# --- shared constants ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("never", None),
        ("NEVER", None),
        ("off", None),
        ("none", None),
        ("warning", Severity.WARNING),
        (" Error ", Severity.ERROR),
        (Severity.INFO, Severity.INFO),
    ],
)
def test_parse_fail_on(value: str | Severity, expected: Severity | None) -> None:
    assert parse_fail_on(value) is expected


def test_parse_fail_on_refuses_other_values() -> None:
    with pytest.raises(
        ConfigError,
        match=r"fail_on: unknown value 'loud' \(expected one of: info, warning, error, never\)",
    ):
        parse_fail_on("loud")
    assert FAIL_ON == ("info", "warning", "error", FAIL_ON_NEVER)


def test_public_settings_carry_the_shared_values() -> None:
    data = public_settings()
    assert json.loads(json.dumps(data)) == data
    assert data["audiences"]["customer"]["target_grade"] == AUDIENCES["customer"].target_grade
    assert data["audiences"]["technical"]["max_sentence_words"] == 35
    assert data["thresholds"] == {
        "min_words_for_grade": limits.MIN_WORDS_FOR_GRADE,
        "polite_from": limits.POLITE_FROM,
        "impolite_below": limits.IMPOLITE_BELOW,
    }
    assert data["fail_on"] == list(FAIL_ON) and data["default_fail_on"] == "warning"
    assert data["limits"]["max_chars"] == limits.MAX_CHARS
    assert public_settings(Config(max_chars=5000))["limits"]["max_chars"] == 5000
    assert data["ranges"]["target_grade"] == [0.0, 30.0]
