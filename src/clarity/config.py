"""Settings: defaults per audience, ``[tool.clarity]`` / ``clarity.toml``, overrides.

Precedence, lowest first: the audience's defaults, the configuration file found
upward from the checked file (``clarity.toml``, or ``[tool.clarity]`` in a
``pyproject.toml``; in one folder ``clarity.toml`` wins), then keyword arguments or
command-line flags.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clarity.errors import ConfigError
from clarity.types import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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

#: Default size limit of one text, in characters. Longer texts are refused.
MAX_CHARS = 200_000


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


@dataclass(frozen=True)
class Config:
    """Everything that changes what clarity reports.

    ``None`` for ``target_grade``, ``max_sentence_words`` and ``max_sentence_grade``
    means "the audience's default"; read the effective value from the ``effective_*``
    properties.
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
        if self.audience not in AUDIENCES:
            raise ConfigError(
                f"unknown audience {self.audience!r} (expected one of: {', '.join(AUDIENCES)})"
            )

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

    def is_enabled(self, code: str) -> bool:
        """Whether rule ``code`` runs, by ``select`` / ``ignore`` prefixes (longest wins)."""
        sel = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        ign = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        if self.select and sel < 0:
            return False
        return not ign > sel

    def severity_for(self, code: str, default: Severity) -> Severity:
        """The severity of ``code``: the longest matching override prefix, else ``default``."""
        best = max((p for p in self.severity if code.startswith(p)), key=len, default=None)
        return self.severity[best] if best is not None else default

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied; ``None`` values are ignored."""
        return merge(self, changes)


_FIELDS = {f.name for f in dataclasses.fields(Config)} - {"origin"}


def _as_tuple(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in (part.strip() for part in value.split(",")) if v]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"setting {name!r} must be a list of strings")
    return tuple(value)


def _coerce(name: str, value: Any, base: Path | None) -> Any:
    """Validate and convert one setting from a file or a keyword argument."""
    if name in {"select", "ignore", "accept"}:
        return _as_tuple(name, value)
    if name == "extra_lexicons":
        paths = value if isinstance(value, (list, tuple)) else [value]
        out = []
        for p in paths:
            if not isinstance(p, (str, Path)):
                raise ConfigError("setting 'extra_lexicons' must be a list of paths")
            path = Path(p).expanduser()
            if base is not None and not path.is_absolute():
                path = base / path
            out.append(path)
        return tuple(out)
    if name == "severity":
        if not isinstance(value, Mapping):
            raise ConfigError("setting 'severity' must be a table of code prefix = severity")
        try:
            return {str(k): Severity.parse(v) for k, v in value.items()}
        except ValueError as exc:
            raise ConfigError(f"setting 'severity': {exc}") from None
    if name in {"target_grade", "max_sentence_grade", "rare_word_zipf"}:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"setting {name!r} must be a number")
        return float(value)
    if name in {"max_sentence_words", "max_chars"}:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"setting {name!r} must be a positive whole number")
        return value
    if name in {"audience", "model"}:
        if not isinstance(value, str):
            raise ConfigError(f"setting {name!r} must be a string")
        return value
    return value


def merge(config: Config, changes: Mapping[str, Any], base: Path | None = None) -> Config:
    """Return ``config`` with ``changes`` (validated; ``None`` values skipped)."""
    unknown = sorted(set(changes) - _FIELDS)
    if unknown:
        raise ConfigError(
            f"unknown setting(s): {', '.join(unknown)} (known: {', '.join(sorted(_FIELDS))})"
        )
    clean = {k: _coerce(k, v, base) for k, v in changes.items() if v is not None}
    return dataclasses.replace(config, **clean)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration at or above ``start``: ``(path, settings)``."""
    here = start if start.is_dir() else start.parent
    for folder in (here.resolve(), *here.resolve().parents):
        candidate = folder / "clarity.toml"
        if candidate.is_file():
            data = _read_toml(candidate)
            section = data.get("tool", {}).get("clarity", data)
            return candidate, dict(section)
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            data = _read_toml(candidate)
            section = data.get("tool", {}).get("clarity")
            if section is not None:
                return candidate, dict(section)
    return None


def read_config_file(path: Path) -> tuple[Path, dict[str, Any]]:
    """Settings from one named file: ``[tool.clarity]`` if present, else the top level."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    data = _read_toml(path)
    return path, dict(data.get("tool", {}).get("clarity", data))


def load_config(
    start: Path | str | None = None, *, file: Path | str | None = None, **overrides: Any
) -> Config:
    """Settings for a file at ``start`` (or the current folder), then ``overrides``.

    ``file`` names the configuration file to read instead of searching for one.
    """
    config = Config()
    if file is not None:
        found: tuple[Path, dict[str, Any]] | None = read_config_file(Path(file))
    else:
        found = find_config_file(Path(start) if start is not None else Path.cwd())
    if found is not None:
        path, section = found
        # Sub-tables belong to other parts of clarity (e.g. [tool.clarity.presend]).
        settings = {
            k: v for k, v in section.items() if not (isinstance(v, dict) and k != "severity")
        }
        try:
            config = merge(config, settings, base=path.parent)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        config = dataclasses.replace(config, origin=str(path))
    return merge(config, overrides)
