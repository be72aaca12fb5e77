"""The OpenAPI 3.1 description of the service, served at ``/openapi.json``.

Written by hand, next to the handlers in :mod:`clarity.server.app`; a test checks that
every route is described and that the examples validate against the request schemas.
"""

from __future__ import annotations

from typing import Any

_SETTINGS = {
    "type": "object",
    "description": "Settings over the service's configuration (see docs/configuration.md).",
    "properties": {
        "audience": {"type": "string", "enum": ["customer", "technical"]},
        "target_grade": {"type": "number"},
        "max_sentence_words": {"type": "integer", "minimum": 1},
        "max_sentence_grade": {"type": "number"},
        "select": {"type": "array", "items": {"type": "string"}},
        "ignore": {"type": "array", "items": {"type": "string"}},
        "accept": {"type": "array", "items": {"type": "string"}},
        "severity": {
            "type": "object",
            "additionalProperties": {"type": "string", "enum": ["info", "warning", "error"]},
        },
        "rare_word_zipf": {"type": "number"},
    },
    "additionalProperties": False,
}

_POLICY = {
    "type": "object",
    "description": "What blocks a draft, over the service's [tool.clarity.presend] policy.",
    "properties": {
        "fail_on": {"type": "string", "enum": ["info", "warning", "error", "never"]},
        "max_grade": {"type": ["number", "null"]},
        "min_politeness": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "max_jargon": {"type": ["integer", "null"], "minimum": 0},
    },
    "additionalProperties": False,
}

_REGION = {
    "type": "object",
    "required": ["start", "end", "kind"],
    "properties": {
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 0},
        "kind": {"type": "string"},
    },
}

_DRAFT_PROPERTIES: dict[str, Any] = {
    "text": {"type": "string", "description": "The draft reply."},
    "incoming": {
        "type": ["string", "null"],
        "description": "The customer's message the draft answers (optional).",
    },
    "audience": {"type": ["string", "null"], "enum": ["customer", "technical", None]},
    "subject": {"type": ["string", "null"], "description": "The reply's subject line."},
    "regions": {
        "type": ["array", "null"],
        "items": {"$ref": "#/components/schemas/Region"},
        "description": "Spans to ignore (quoted history, signatures). Default: detected.",
    },
    "config": {"$ref": "#/components/schemas/Settings"},
}

_CHECK_REQUEST = {
    "type": "object",
    "required": ["text"],
    "properties": dict(_DRAFT_PROPERTIES),
}
_PRESEND_REQUEST = {
    "type": "object",
    "required": ["text"],
    "properties": {**_DRAFT_PROPERTIES, "policy": {"$ref": "#/components/schemas/Policy"}},
}
_FIX_REQUEST = {
    "type": "object",
    "required": ["text"],
    "properties": {
        **_DRAFT_PROPERTIES,
        "unsafe": {
            "type": "boolean",
            "default": False,
            "description": "Also apply fixes that may shift the meaning.",
        },
    },
}

_FINDING = {
    "type": "object",
    "description": "See docs/json-output.md; offsets are Unicode code points.",
    "properties": {
        "code": {"type": "string"},
        "rule": {"type": "string"},
        "category": {"type": "string"},
        "severity": {"type": "string", "enum": ["info", "warning", "error"]},
        "start": {"type": "integer"},
        "end": {"type": "integer"},
        "line": {"type": ["integer", "null"]},
        "column": {"type": "integer"},
        "text": {"type": "string"},
        "message": {"type": "string"},
        "suggestions": {"type": "array", "items": {"type": "string"}},
        "fix": {"type": ["object", "null"]},
    },
}
_RESULT = {
    "type": "object",
    "description": "One entry of `results` of the JSON output (docs/json-output.md).",
    "properties": {
        "source": {"type": ["string", "null"]},
        "text": {"type": "string"},
        "audience": {"type": "string"},
        "score": {"type": "integer"},
        "counts": {"type": "object"},
        "readability": {"type": "object"},
        "regions": {"type": "array", "items": {"$ref": "#/components/schemas/Region"}},
        "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        "subject": {"type": ["string", "null"]},
        "subject_findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
    },
}
_TARGET = {"type": "number", "description": "The audience's target grade (for a meter)."}
_CHECK_RESPONSE = {
    "type": "object",
    "properties": {
        "schema_version": {"type": "string"},
        "target_grade": _TARGET,
        "result": {"$ref": "#/components/schemas/Result"},
    },
}
_VERDICT = {
    "type": "object",
    "properties": {
        "schema_version": {"type": "string"},
        "target_grade": _TARGET,
        "allowed": {"type": "boolean"},
        "summary": {"type": "string"},
        "reasons": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "kind": {
                        "type": "string",
                        "enum": ["severity", "grade", "politeness", "jargon"],
                    },
                    "message": {"type": "string"},
                },
            },
        },
        "blocking": {
            "type": "array",
            "description": "The blocking findings: code, severity and offsets into the text.",
            "items": {"type": "object"},
        },
        "policy": {"$ref": "#/components/schemas/Policy"},
        "rewritten": {"type": "string", "description": "The draft with its safe fixes."},
        "tone": {
            "type": ["object", "null"],
            "description": "The tone estimate: politeness (0-1) and label, when available.",
        },
        "incoming": {"type": ["string", "null"]},
        "result": {"$ref": "#/components/schemas/Result"},
    },
}
_FIX_RESPONSE = {
    "type": "object",
    "properties": {
        "schema_version": {"type": "string"},
        "text": {"type": "string"},
        "changed": {"type": "boolean"},
        "applied": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        "result": {"$ref": "#/components/schemas/Result"},
    },
}
_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Malformed JSON or not UTF-8.",
        401: "Missing or wrong bearer token (when CLARITY_TOKEN is set).",
        413: "Body over the size limit.",
        415: "Content-Type is not application/json.",
        422: "Valid JSON that is not a valid request (the field is named).",
        503: "Not ready yet, busy, or the check took longer than the time limit.",
    }
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {str(c): {"description": text[c], "content": ref} for c in codes}


def _post(summary: str, request: str, response: str, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "security": [{"bearer": []}, {}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{request}"},
                        "example": example,
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{response}"}}
                    },
                },
                **_errors(400, 401, 413, 415, 422, 503),
            },
        }
    }


def openapi_schema(version: str) -> dict[str, Any]:
    """The OpenAPI document for clarity ``version``."""
    draft = {"text": "Please flush your DNS cache.", "audience": "customer"}
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
        "paths": {
            "/v1/check": _post(
                "Check a draft: findings, readability, score.",
                "CheckRequest",
                "CheckResponse",
                draft,
            ),
            "/v1/presend": _post(
                "The pre-send verdict: allowed or blocked, why, and the safe rewrite.",
                "PresendRequest",
                "Verdict",
                {**draft, "incoming": "My internet is slow, what do I do?"},
            ),
            "/v1/fix": _post(
                "Apply clarity's fixes (safe ones; unsafe too on request).",
                "FixRequest",
                "FixResponse",
                {"text": "In order to reset it, click Save.", "unsafe": False},
            ),
            "/v1/rules": {
                "get": {
                    "summary": "The rules: code, name, category, severity, documentation.",
                    "security": [{"bearer": []}, {}],
                    "responses": {
                        "200": {"description": "OK", "content": {"application/json": {}}},
                        **_errors(401),
                    },
                }
            },
            "/healthz": {
                "get": {
                    "summary": "200 once the language pipeline is loaded, 503 before.",
                    "responses": {
                        "200": {"description": "Ready", "content": {"application/json": {}}},
                        "503": {"description": "Starting, or failed to load"},
                    },
                }
            },
            "/": {"get": {"summary": "The page.", "responses": {"200": {"description": "HTML"}}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "CheckRequest": _CHECK_REQUEST,
                "PresendRequest": _PRESEND_REQUEST,
                "FixRequest": _FIX_REQUEST,
                "CheckResponse": _CHECK_RESPONSE,
                "Verdict": _VERDICT,
                "FixResponse": _FIX_RESPONSE,
                "Result": _RESULT,
                "Finding": _FINDING,
                "Region": _REGION,
                "Settings": _SETTINGS,
                "Policy": _POLICY,
                "Error": _ERROR,
            },
        },
    }
