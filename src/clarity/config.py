"""Settings: defaults per audience, ``[tool.clarity]`` / ``clarity.toml``, overrides.

Precedence, lowest first: the audience's defaults, the configuration file found
upward from the checked file (``clarity.toml``, or ``[tool.clarity]`` in a
``pyproject.toml``; in one folder ``clarity.toml`` wins), then keyword arguments or
command-line flags.

Every setting is validated where it enters, and a bad one is a
:class:`~clarity.errors.ConfigError` of one line that names the value and where it
came from (the file and its TOML key, the keyword argument or the command-line
option): unknown keys (with the nearest known ones), rule codes or prefixes in
``select`` / ``ignore`` / ``severity`` that match no registered rule (a typo there
would silently switch a check, or the pre-send gate, off), numbers that are NaN,
infinite or out of :data:`clarity.limits.SETTING_RANGES`, and files that are not
UTF-8, not TOML, folders or larger than :data:`clarity.limits.MAX_CONFIG_BYTES`.

The thresholds and limits several faces share are in :mod:`clarity.limits`;
:func:`public_settings` gathers what a page or an extension needs to know.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clarity.errors import ConfigError
from clarity.inputs import read_capped
from clarity.limits import (
    IMPOLITE_BELOW,
    MAX_CHARS,
    MAX_CHARS_CEILING,
    MAX_CONFIG_BYTES,
    MAX_INPUT_BYTES,
    MAX_LEXICON_BYTES,
    MIN_WORDS_FOR_GRADE,
    POLITE_FROM,
    SETTING_RANGES,
)
from clarity.types import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "AUDIENCES",
    "DEFAULT_FAIL_ON",
    "FAIL_ON",
    "FAIL_ON_NEVER",
    "MAX_CHARS",
    "REQUEST_SETTINGS",
    "TABLES",
    "Audience",
    "Config",
    "check_options",
    "find_config_file",
    "load_config",
    "merge",
    "parse_fail_on",
    "public_settings",
    "read_config_file",
    "rule_codes",
]

#: Settings a caller of ``clarity serve`` may set per request (the thin client sends
#: them; the service accepts only these). The model, extra lexicons and size limits
#: stay the service's own.
REQUEST_SETTINGS: tuple[str, ...] = (
    "audience",
    "target_grade",
    "max_sentence_words",
    "max_sentence_grade",
    "select",
    "ignore",
    "accept",
    "severity",
    "rare_word_zipf",
)

#: Sub-tables of ``[tool.clarity]`` that other parts of clarity read (the pre-send
#: policy, :func:`clarity.presend.load_policy`). Any other unknown key or table is an
#: error; a face that reads a table of its own adds its name here.
TABLES: tuple[str, ...] = ("presend",)

#: The ``fail_on`` value that switches the severity gate off (``clarity check
#: --fail-on never``, ``fail_on = "never"`` in ``[tool.clarity.presend]``).
FAIL_ON_NEVER = "never"

#: Every ``fail_on`` value, lowest first: the severities, then ``never``.
FAIL_ON: tuple[str, ...] = (*(s.value for s in Severity), FAIL_ON_NEVER)

#: The default gate of ``clarity check``, the hook and the pre-send policy: a finding
#: at or above this severity fails.
DEFAULT_FAIL_ON = Severity.WARNING

#: Spellings of :data:`FAIL_ON_NEVER` that :func:`parse_fail_on` also accepts.
_NEVER = (FAIL_ON_NEVER, "none", "off")


def parse_fail_on(value: str | Severity, key: str = "fail_on") -> Severity | None:
    """A ``fail_on`` value: a :class:`Severity`, or ``None`` for ``"never"`` (also
    ``"none"``, ``"off"``), any case. ``key`` names the setting in the error."""
    if isinstance(value, Severity):
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{key} must be one of: {', '.join(FAIL_ON)}")
    if value.strip().lower() in _NEVER:
        return None
    try:
        return Severity.parse(value.strip())
    except ValueError:
        raise ConfigError(
            f"{key}: unknown value {value!r} (expected one of: {', '.join(FAIL_ON)})"
        ) from None


@dataclass(frozen=True)
class Audience:
    """Who reads the message, and the defaults that follow from it."""

    name: str
    description: str
    target_grade: float
    max_sentence_words: int
    max_sentence_grade: float
    #: Lexicon terms marked ``technical=1`` pass for this audience.
    knows_technical_terms: bool

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


AUDIENCES: dict[str, Audience] = {
    "customer": Audience(
        name="customer",
        description="a non-technical reader (the default)",
        target_grade=8.0,
        max_sentence_words=25,
        max_sentence_grade=12.0,
        knows_technical_terms=False,
    ),
    "technical": Audience(
        name="technical",
        description="an IT colleague: common IT terms pass; wordiness and readability apply",
        target_grade=12.0,
        max_sentence_words=35,
        max_sentence_grade=16.0,
        knows_technical_terms=True,
    ),
}


def rule_codes() -> tuple[str, ...]:
    """Every registered rule code, sorted (``J001``, ``J002``...)."""
    from clarity.rules import all_rules

    return tuple(r.code for r in all_rules())


_FAMILY = re.compile(r"^[A-Z]+")


def _code_error(value: str, codes: tuple[str, ...]) -> str | None:
    """Why ``value`` is no rule code or prefix (``None`` when one code starts with it)."""
    if not value:
        return "empty rule code or prefix ''"
    if any(code.startswith(value) for code in codes):
        return None
    families = sorted({m.group() for c in codes if (m := _FAMILY.match(c))})
    close = difflib.get_close_matches(value.upper(), [*families, *codes], n=3, cutoff=0.6)
    if any(code.startswith(value.upper()) for code in codes):
        hint = f"codes are upper case: did you mean {value.upper()!r}?"
    elif close:
        hint = f"did you mean {' or '.join(repr(c) for c in close)}?"
    else:
        hint = f"rule codes start with {', '.join(families)}; `clarity rules` lists them"
    return f"unknown rule code or prefix {value!r} ({hint})"


def _fmt(number: float) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number:g}"


def _range_error(name: str, value: float) -> str | None:
    """Why ``value`` is out of the range of numeric setting ``name`` (``None`` if not)."""
    low, high = SETTING_RANGES[name]
    if low <= value <= high:  # False for NaN too
        return None
    kind = "whole number" if isinstance(low, int) else "number"
    return f"must be a {kind} from {_fmt(low)} to {_fmt(high)} (got {value!r})"


@dataclass(frozen=True)
class _Source:
    """How messages name a setting: by its TOML key in a file (``kind="file"``, with
    the table's ``prefix``), as a keyword argument, or as a command-line option."""

    kind: str = "keyword"
    prefix: str = ""

    def key(self, name: str, sub: str | None = None) -> str:
        if self.kind == "option":
            return f"option --{name.replace('_', '-')}"
        if self.kind == "file":
            dotted = self.prefix + name
            if sub is not None:
                dotted += "." + (sub if _BARE_KEY.match(sub) else json.dumps(sub))
            return f"setting {dotted}"
        return f"setting {name!r}" + (f" key {sub!r}" if sub is not None else "")


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_KEYWORD = _Source()


@dataclass(frozen=True)
class Config:
    """Everything that changes what clarity reports.

    ``None`` for ``target_grade``, ``max_sentence_words`` and ``max_sentence_grade``
    means "the audience's default"; read the effective value from the ``effective_*``
    properties. Values are checked on construction (rule codes, ranges, audience), so
    a ``Config`` built directly refuses what a configuration file would.
    """

    audience: str = "customer"
    target_grade: float | None = None
    max_sentence_words: int | None = None
    max_sentence_grade: float | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    accept: tuple[str, ...] = ()
    extra_lexicons: tuple[Path, ...] = ()
    rare_word_zipf: float = 2.5
    model: str | None = None
    max_chars: int = MAX_CHARS
    #: Where the settings came from (a file path), for messages.
    origin: str | None = None

    def __post_init__(self) -> None:
        _check_audience(self.audience, _KEYWORD.key("audience"))
        for name in ("select", "ignore"):
            _check_codes(getattr(self, name), _KEYWORD.key(name))
        for code in self.severity:
            _check_codes((code,), _KEYWORD.key("severity", code))
        for name in SETTING_RANGES:
            value = getattr(self, name)
            problem = None if value is None else _range_error(name, value)
            if problem:
                raise ConfigError(f"{_KEYWORD.key(name)} {problem}")

    @property
    def audience_info(self) -> Audience:
        return AUDIENCES[self.audience]

    @property
    def effective_target_grade(self) -> float:
        return self.audience_info.target_grade if self.target_grade is None else self.target_grade

    @property
    def effective_max_sentence_words(self) -> int:
        a = self.audience_info
        return a.max_sentence_words if self.max_sentence_words is None else self.max_sentence_words

    @property
    def effective_max_sentence_grade(self) -> float:
        a = self.audience_info
        return a.max_sentence_grade if self.max_sentence_grade is None else self.max_sentence_grade

    def is_enabled(self, code: str, opt_in: bool = False) -> bool:
        """Whether rule ``code`` runs, by ``select`` / ``ignore`` prefixes (longest wins).

        An ``opt_in`` rule runs only when ``select`` names its full code."""
        if opt_in:
            return code in self.select and code not in self.ignore
        sel = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        ign = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        if self.select and sel < 0:
            return False
        return not ign > sel

    def severity_for(self, code: str, default: Severity) -> Severity:
        """The severity of ``code``: the longest matching override prefix, else ``default``."""
        best = max((p for p in self.severity if code.startswith(p)), key=len, default=None)
        return self.severity[best] if best is not None else default

    def sets(self, code: str) -> bool:
        """Whether the configuration sets the severity of ``code`` (by a prefix)."""
        return any(code.startswith(p) for p in self.severity)

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied; ``None`` values are ignored."""
        return merge(self, changes)


_FIELDS = {f.name for f in dataclasses.fields(Config)} - {"origin"}


def _check_audience(value: str, key: str) -> None:
    if value not in AUDIENCES:
        close = difflib.get_close_matches(str(value).lower(), list(AUDIENCES), n=1)
        hint = (
            f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(AUDIENCES)}"
        )
        raise ConfigError(f"{key}: unknown audience {value!r} ({hint})")


def _check_codes(values: Iterable[str], key: str) -> None:
    values = tuple(values)
    if not values:
        return  # nothing to check: do not import every rule for it
    codes = rule_codes()
    for value in values:
        problem = _code_error(value, codes)
        if problem:
            raise ConfigError(f"{key}: {problem}")


def _as_tuple(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
        value = [v for v in (part.strip() for part in value) if v]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key} must be a list of strings")
    return tuple(v.strip() for v in value)


def _number(name: str, value: Any, key: str, whole: bool) -> Any:
    if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
        kind = "whole number" if whole else "number"
        low, high = SETTING_RANGES[name]
        raise ConfigError(f"{key} must be a {kind} from {_fmt(low)} to {_fmt(high)}")
    problem = _range_error(name, value)
    if problem:
        raise ConfigError(f"{key} {problem}")
    return value if whole else float(value)


def _coerce(name: str, value: Any, base: Path | None, source: _Source) -> Any:
    """Validate and convert one setting from a file, a keyword argument or an option."""
    key = source.key(name)
    if name in {"select", "ignore", "accept"}:
        values = _as_tuple(key, value)
        if name != "accept":
            _check_codes(values, key)
        return values
    if name == "extra_lexicons":
        paths = value if isinstance(value, (list, tuple)) else [value]
        out = []
        for p in paths:
            if not isinstance(p, (str, Path)) or not str(p).strip():
                raise ConfigError(f"{key} must be a list of paths")
            path = Path(p).expanduser()
            if base is not None and not path.is_absolute():
                path = base / path
            out.append(path)
        return tuple(out)
    if name == "severity":
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key} must be a table of code prefix = severity")
        out_severity = {}
        for code, level in value.items():
            sub = source.key(name, str(code))
            _check_codes((str(code),), sub)
            try:
                out_severity[str(code)] = Severity.parse(level)
            except ValueError as exc:
                raise ConfigError(f"{sub}: {exc}") from None
        return out_severity
    if name in {"target_grade", "max_sentence_grade", "rare_word_zipf"}:
        return _number(name, value, key, whole=False)
    if name in {"max_sentence_words", "max_chars"}:
        return _number(name, value, key, whole=True)
    if name in {"audience", "model"}:
        if not isinstance(value, str):
            raise ConfigError(f"{key} must be a string")
        if name == "audience":
            _check_audience(value, key)
        return value
    return value  # pragma: no cover - every field is handled above


def _unknown(names: Iterable[str], source: _Source, known: Iterable[str]) -> ConfigError:
    pool = sorted(known)
    parts = []
    for name in sorted(names):
        close = difflib.get_close_matches(name, pool, n=1)
        hint = (
            f"did you mean {source.key(close[0]).split(' ', 1)[1]}?"
            if close
            else f"known: {', '.join(pool)}"
        )
        parts.append(f"unknown {source.key(name)} ({hint})")
    return ConfigError("; ".join(parts))


def _merge(
    config: Config, changes: Mapping[str, Any], base: Path | None, source: _Source
) -> Config:
    unknown = set(changes) - _FIELDS
    if unknown:
        raise _unknown(unknown, source, _FIELDS)
    clean = {k: _coerce(k, v, base, source) for k, v in changes.items() if v is not None}
    return dataclasses.replace(config, **clean)


def merge(config: Config, changes: Mapping[str, Any], base: Path | None = None) -> Config:
    """Return ``config`` with ``changes`` (validated; ``None`` values skipped).

    Relative ``extra_lexicons`` paths are taken relative to ``base``.
    """
    return _merge(config, changes, base, _KEYWORD)


def check_options(options: Mapping[str, Any]) -> None:
    """Validate settings given as command-line options (``None`` values skipped), so a
    front end can refuse ``--select J01`` once, before reading any input; the
    :class:`ConfigError` names the option (``option --select: unknown rule code or
    prefix 'J01' (did you mean 'J001'?)``)."""
    _merge(Config(), options, None, _Source("option"))


def _read_toml(path: Path) -> dict[str, Any]:
    """The TOML document at ``path``, read at most :data:`MAX_CONFIG_BYTES` (so a
    device such as ``/dev/zero`` is refused, while ``--config <(...)`` works)."""
    raw = read_capped(path, MAX_CONFIG_BYTES, "configuration", ConfigError)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}: not valid UTF-8 (byte {exc.start}, line {line})") from None
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def _section(path: Path, data: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """clarity's settings in ``data`` read from ``path``, and the TOML key prefix of
    their table: ``[tool.clarity]`` if present; else, except in a ``pyproject.toml``
    (``None``: no settings there), the top level."""
    tool = data.get("tool")
    if isinstance(tool, dict) and "clarity" in tool:
        section = tool["clarity"]
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: tool.clarity must be a table")
        return section, "tool.clarity."
    if path.name == "pyproject.toml":
        return None
    return data, ""


def _find(start: Path) -> tuple[Path, dict[str, Any], str] | None:
    here = start if start.is_dir() else start.parent
    for folder in (here.resolve(), *here.resolve().parents):
        for name in ("clarity.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                found = _section(candidate, _read_toml(candidate))
                if found is not None:
                    return candidate, dict(found[0]), found[1]
    return None


def _read(path: Path) -> tuple[Path, dict[str, Any], str]:
    found = _section(path, _read_toml(path))
    return (path, {}, "tool.clarity.") if found is None else (path, dict(found[0]), found[1])


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration at or above ``start``: ``(path, settings)``."""
    found = _find(start)
    return None if found is None else (found[0], found[1])


def read_config_file(path: Path) -> tuple[Path, dict[str, Any]]:
    """Settings from one named file: ``[tool.clarity]`` if present, else the top level
    (a ``pyproject.toml`` without ``[tool.clarity]`` has none)."""
    found = _read(path)
    return found[0], found[1]


def load_config(
    start: Path | str | None = None, *, file: Path | str | None = None, **overrides: Any
) -> Config:
    """Settings for a file at ``start`` (or the current folder), then ``overrides``.

    ``file`` names the configuration file to read instead of searching for one.
    """
    config = Config()
    if file is not None:
        found: tuple[Path, dict[str, Any], str] | None = _read(Path(file))
    else:
        found = _find(Path(start) if start is not None else Path.cwd())
    if found is not None:
        path, section, prefix = found
        source = _Source("file", prefix)
        settings = {k: v for k, v in section.items() if k not in TABLES}
        try:
            for name in TABLES:
                if name in section and not isinstance(section[name], dict):
                    raise ConfigError(f"{source.key(name)} must be a table")
            unknown = set(settings) - _FIELDS
            if unknown:
                raise _unknown(unknown, source, _FIELDS | set(TABLES))
            config = _merge(config, settings, path.parent, source)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        config = dataclasses.replace(config, origin=str(path))
    return merge(config, overrides)


def public_settings(config: Config | None = None) -> dict[str, Any]:
    """What a page or a browser extension needs to know, JSON-ready: the audiences with
    their defaults, the ``fail_on`` values, the shared thresholds, the size limits (of
    ``config``, default :class:`Config()`) and the accepted range of each numeric
    setting. Serve this instead of copying the numbers into JavaScript."""
    config = config if config is not None else Config()
    return {
        "audience": config.audience,
        "audiences": {name: a.to_dict() for name, a in AUDIENCES.items()},
        "fail_on": list(FAIL_ON),
        "default_fail_on": DEFAULT_FAIL_ON.value,
        "request_settings": list(REQUEST_SETTINGS),
        "thresholds": {
            "min_words_for_grade": MIN_WORDS_FOR_GRADE,
            "polite_from": POLITE_FROM,
            "impolite_below": IMPOLITE_BELOW,
        },
        "limits": {
            "max_chars": config.max_chars,
            "max_chars_ceiling": MAX_CHARS_CEILING,
            "max_input_bytes": MAX_INPUT_BYTES,
            "max_config_bytes": MAX_CONFIG_BYTES,
            "max_lexicon_bytes": MAX_LEXICON_BYTES,
        },
        "ranges": {name: [low, high] for name, (low, high) in SETTING_RANGES.items()},
    }
