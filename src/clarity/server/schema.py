"""The service's request and response models: one schema that validates every request
and generates the OpenAPI document served at ``/openapi.json``.

The request models are strict (a string is not a number, ``true`` is not ``1``),
refuse unknown fields, and take their audiences, severities and per-request settings
from :mod:`clarity.config` and :mod:`clarity.types`, never from copies. The JSON
reader refuses ``NaN``/``Infinity`` and numbers of more than :data:`MAX_DIGITS`
digits, so every wrong value gets a 4xx with a message naming the field.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import models_json_schema

from clarity.config import AUDIENCES, FAIL_ON, FAIL_ON_NEVER, REQUEST_SETTINGS
from clarity.limits import MAX_CHARS, SETTING_RANGES
from clarity.types import Severity

#: Longest integer literal read from a body (Python refuses more than 4,300).
MAX_DIGITS = 100
SEVERITIES = [s.value for s in Severity]


class RequestError(Exception):
    """A body that is not a valid request: ``status`` (400 or 422) and one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _audience(value: str) -> str:
    if value not in AUDIENCES:
        raise ValueError(f"unknown audience {value!r} (expected one of: {', '.join(AUDIENCES)})")
    return value


def _severity(value: str) -> str:
    return Severity.parse(value).value


def _fail_on(value: str) -> str:
    return value if value == FAIL_ON_NEVER else _severity(value)


AudienceName = Annotated[
    str, AfterValidator(_audience), WithJsonSchema({"type": "string", "enum": list(AUDIENCES)})
]
SeverityName = Annotated[
    str, AfterValidator(_severity), WithJsonSchema({"type": "string", "enum": SEVERITIES})
]
FailOn = Annotated[
    str,
    AfterValidator(_fail_on),
    WithJsonSchema({"type": "string", "enum": list(FAIL_ON)}),
]


def _ranged(name: str, kind: type) -> Any:
    """``kind`` within the accepted range of setting ``name`` (clarity.limits)."""
    low, high = SETTING_RANGES[name]
    return Annotated[kind | None, Field(ge=low, le=high)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class Settings(_Strict):
    """Settings over the service's configuration, one request only (see
    docs/configuration.md). Exactly :data:`clarity.config.REQUEST_SETTINGS`."""

    audience: AudienceName | None = None
    target_grade: _ranged("target_grade", float) = None  # type: ignore[valid-type]
    max_sentence_words: _ranged("max_sentence_words", int) = None  # type: ignore[valid-type]
    max_sentence_grade: _ranged("max_sentence_grade", float) = None  # type: ignore[valid-type]
    select: list[str] | None = None
    ignore: list[str] | None = None
    accept: list[str] | None = None
    severity: dict[str, SeverityName] | None = None
    rare_word_zipf: _ranged("rare_word_zipf", float) = None  # type: ignore[valid-type]


class PolicySettings(_Strict):
    """What blocks a draft, over the service's ``[tool.clarity.presend]`` policy;
    ``null`` switches a test off."""

    fail_on: FailOn | None = None
    max_grade: float | None = None
    min_politeness: float | None = Field(None, ge=0, le=1)
    max_jargon: int | None = Field(None, ge=0)


class Region(_Strict):
    """A span to ignore (quoted history, a signature), in code points."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: str


class CheckRequest(_Strict):
    """The body of ``POST /v1/check``."""

    text: str = Field(
        description=f"The draft reply (at most the service's max_chars, {MAX_CHARS:,} "
        "characters by default: GET /v1/settings)."
    )
    incoming: str | None = Field(None, description="The customer's message it answers.")
    audience: AudienceName | None = Field(None, description="Who reads it.")
    subject: str | None = Field(None, description="The reply's subject line.")
    source: str | None = Field(None, description="A name for the draft, echoed back.")
    regions: list[Region] | None = Field(
        None, description="Spans to ignore (quoted history, signatures). Default: detected."
    )
    config: Settings | None = None

    @model_validator(mode="after")
    def _regions_in_text(self) -> CheckRequest:
        for n, r in enumerate(self.regions or ()):
            if not r.start <= r.end <= len(self.text):
                raise ValueError(f"'regions'[{n}] must have 0 <= start <= end <= len(text)")
        return self

    def settings(self) -> dict[str, Any]:
        """The per-request settings, ``audience`` included (only those given)."""
        out = self.config.model_dump(exclude_none=True) if self.config else {}
        if self.audience is not None:
            out["audience"] = self.audience
        return out


class PresendRequest(CheckRequest):
    """The body of ``POST /v1/presend``."""

    policy: PolicySettings | None = None


class FixRequest(CheckRequest):
    """The body of ``POST /v1/fix``."""

    unsafe: bool = Field(False, description="Also apply fixes that may shift the meaning.")


REQUESTS: dict[str, type[CheckRequest]] = {
    "check": CheckRequest,
    "presend": PresendRequest,
    "fix": FixRequest,
}

# --- responses (documentation only: the engine's to_dict() builds them) -------------


class Finding(BaseModel):
    """See docs/json-output.md; offsets are Unicode code points."""

    code: str
    rule: str
    category: str
    severity: SeverityName
    start: int
    end: int
    line: int | None
    column: int
    text: str
    message: str
    suggestions: list[str]
    fix: dict[str, Any] | None


class Result(BaseModel):
    """One entry of ``results`` of the JSON output (docs/json-output.md)."""

    source: str | None
    text: str
    audience: str
    score: int
    counts: dict[str, int]
    readability: dict[str, Any]
    regions: list[Region]
    findings: list[Finding]
    subject: str | None
    subject_findings: list[Finding]


class CheckResponse(BaseModel):
    schema_version: str
    target_grade: float = Field(description="The audience's target grade (for a meter).")
    result: Result


class Verdict(BaseModel):
    schema_version: str
    target_grade: float
    allowed: bool
    summary: str
    reasons: list[dict[str, str]] = Field(description="kind and message of each reason.")
    blocking: list[dict[str, Any]] = Field(description="The blocking findings' offsets.")
    policy: PolicySettings
    rewritten: str = Field(description="The draft with its safe fixes.")
    tone: dict[str, Any] | None
    incoming: str | None
    result: Result


class FixResponse(BaseModel):
    schema_version: str
    text: str
    changed: bool
    applied: list[Finding]
    result: Result


class ServiceSettings(BaseModel):
    """What the page (and any client) needs to know of the service:
    :func:`clarity.config.public_settings` of its configuration, plus ``service``:
    ``max_body`` (bytes), ``timeout`` and ``body_timeout`` (seconds), ``workers``."""

    audience: str
    audiences: dict[str, dict[str, Any]]
    fail_on: list[str]
    default_fail_on: str
    request_settings: list[str]
    thresholds: dict[str, float]
    limits: dict[str, int]
    ranges: dict[str, list[float]]
    service: dict[str, float]


class Error(BaseModel):
    """Every error answer: ``{"error": message, "status": status}``."""

    error: str
    status: int


# --- reading a body --------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise RequestError(422, f"{name} is not a number JSON allows; send a finite number")


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise RequestError(
            422, f"a number of {len(digits.lstrip('-')):,} digits; at most {MAX_DIGITS} are read"
        )
    return int(digits)


def read_body(raw: bytes) -> Any:
    """Parse a body as JSON (400 when it is not JSON; 422 for NaN, Infinity and
    over-long integers)."""
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError(400, f"body is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(body, parse_constant=_no_constant, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise RequestError(
            400, f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise RequestError(400, "malformed JSON: nested too deeply") from None
    except ValueError as exc:  # pragma: no cover - json's own number errors
        raise RequestError(422, f"malformed number: {exc}") from None


def parse_request(data: Any, endpoint: str) -> CheckRequest:
    """Validate a parsed body for ``endpoint`` (422 naming the field when it is wrong)."""
    if not isinstance(data, dict):
        raise RequestError(422, "the body must be a JSON object")
    model = REQUESTS[endpoint]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestError(422, _message(exc, model)) from None


_KNOWN = {
    (): "unknown field(s): {names} (known: {known})",
    ("config",): "'config': setting(s) not allowed in a request: {names} (allowed: {known})",
    ("policy",): "'policy': unknown presend setting(s): {names} (known: {known})",
}


def _message(exc: ValidationError, model: type[CheckRequest]) -> str:
    """One line for the first problem (unknown fields all named at once)."""
    errors = exc.errors()
    first = errors[0]
    loc = tuple(first["loc"])
    parent = tuple(str(p) for p in loc[:-1])
    if first["type"] == "extra_forbidden" and parent in _KNOWN:
        names = sorted(str(e["loc"][-1]) for e in errors if tuple(e["loc"][:-1]) == parent)
        fields = {
            (): model.model_fields,
            ("config",): Settings.model_fields,
            ("policy",): PolicySettings.model_fields,
        }[parent]
        return _KNOWN[parent].format(names=", ".join(names), known=", ".join(sorted(fields)))
    msg = str(first["msg"]).removeprefix("Value error, ")
    if not loc:
        return msg
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    if first["type"] == "missing":
        return f"'{where}' is required"
    return f"'{where}': {msg}"


def settings_match_config() -> bool:
    """Whether :class:`Settings` has exactly the per-request settings of the config."""
    return set(Settings.model_fields) == set(REQUEST_SETTINGS)


# --- the OpenAPI document -------------------------------------------------------------

_ERRORS = {
    400: "Malformed JSON or not UTF-8.",
    401: "Missing or wrong bearer token (when CLARITY_TOKEN is set).",
    408: "The body did not arrive within the service's read time limit.",
    413: "Body over the size limit.",
    415: "Content-Type is not application/json.",
    422: "Valid JSON that is not a valid request (the field is named).",
    503: "Not ready yet, busy, or the check took longer than the time limit.",
}
_DRAFT_EXAMPLE = {"text": "Please flush your DNS cache.", "audience": "customer"}
_POSTS: dict[str, tuple[str, type[BaseModel], type[BaseModel], dict[str, Any]]] = {
    "/v1/check": (
        "Check a draft: findings, readability, score.",
        CheckRequest,
        CheckResponse,
        _DRAFT_EXAMPLE,
    ),
    "/v1/presend": (
        "The pre-send verdict: allowed or blocked, why, and the safe rewrite.",
        PresendRequest,
        Verdict,
        {**_DRAFT_EXAMPLE, "incoming": "My internet is slow, what do I do?"},
    ),
    "/v1/fix": (
        "Apply clarity's fixes (safe ones; unsafe too on request).",
        FixRequest,
        FixResponse,
        {"text": "In order to reset it, click Save.", "unsafe": False},
    ),
}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"application/json": {"schema": schema} if schema is not None else {}}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(c): {"description": _ERRORS[c], "content": _json(_ref(Error))} for c in codes}


def openapi_schema(version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document for clarity ``version``, generated from the models."""
    models: list[type[BaseModel]] = [ServiceSettings, Error]
    for _, request, response, _ in _POSTS.values():
        models += [request, response]
    _, defs = models_json_schema(
        [(m, "validation") for m in models], ref_template="#/components/schemas/{model}"
    )
    paths: dict[str, Any] = {}
    for path, (summary, request, response, example) in _POSTS.items():
        paths[path] = {
            "post": {
                "summary": summary,
                "security": [{"bearer": []}, {}],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref(request), "example": example}},
                },
                "responses": {
                    "200": {"description": "OK", "content": _json(_ref(response))},
                    **_errors(400, 401, 408, 413, 415, 422, 503),
                },
            }
        }
    paths["/v1/rules"] = {
        "get": {
            "summary": "The rules: code, name, category, severity, documentation.",
            "security": [{"bearer": []}, {}],
            "responses": {"200": {"description": "OK", "content": _json()}, **_errors(401)},
        }
    }
    paths["/v1/settings"] = {
        "get": {
            "summary": "Audiences, tone bands and limits, as the page uses them.",
            "security": [{"bearer": []}, {}],
            "responses": {
                "200": {"description": "OK", "content": _json(_ref(ServiceSettings))},
                **_errors(401),
            },
        }
    }
    paths["/healthz"] = {
        "get": {
            "summary": "200 once a worker has loaded the language pipeline, 503 before.",
            "responses": {
                "200": {"description": "Ready", "content": _json()},
                "503": {"description": "Starting, or failed to load"},
            },
        }
    }
    paths["/"] = {"get": {"summary": "The page.", "responses": {"200": {"description": "HTML"}}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "clarity",
            "version": version,
            "description": (
                "Plain-language checks for help-desk replies. Every /v1/ call needs "
                "`Authorization: Bearer <token>` when the service was started with "
                "CLARITY_TOKEN set. Offsets are Unicode code points into `text`."
            ),
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": defs["$defs"],
        },
    }
