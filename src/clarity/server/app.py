"""The HTTP JSON service (Starlette on uvicorn) and its page.

``create_app()`` builds the ASGI application; ``clarity serve`` runs it with uvicorn.

Safe by default:

* ``clarity serve`` binds ``127.0.0.1`` and, bound to a loopback address, answers only
  requests whose ``Host`` is a loopback name (no DNS rebinding);
* with a token (``CLARITY_TOKEN``), every ``/v1/`` call needs ``Authorization: Bearer
  <token>``, compared in constant time (401 otherwise);
* bodies must be ``application/json`` (415 otherwise: a page of another site cannot
  send one without a CORS preflight, which the service never grants), at most
  ``max_body`` bytes (413: the ``Content-Length`` is checked, then the bytes counted
  as they arrive), arrived within ``body_timeout`` seconds (408, and the connection
  is closed: a client trickling its body cannot hold a connection); malformed JSON
  gets 400, a wrong request 422 naming the field (:mod:`clarity.server.schema`),
  always as JSON, never 500;
* checks run in worker processes (:mod:`clarity.server.worker`), never on the event
  loop: a check over the time limit gets 503 and its worker is killed and replaced,
  and ``/healthz`` and other requests answer meanwhile;
* the access log holds the method, the route, the status and the time, never a body,
  a query string or an unknown path, with control characters escaped; an internal
  error is logged by its type and place, never its message (which could quote the
  text); a client that disconnects is logged as such, at info level.

``/healthz`` answers 503 until a worker has loaded the language pipeline, then 200;
``/v1/`` calls wait for it within their time limit.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import re
import time
from collections.abc import Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from clarity.__about__ import __version__
from clarity.config import Config, load_config, public_settings
from clarity.draft import Draft
from clarity.errors import ConfigError
from clarity.presend import Policy, load_policy
from clarity.server import BODY_TIMEOUT, MAX_BODY, TIMEOUT, WORKERS
from clarity.server.schema import (
    PresendRequest,
    RequestError,
    openapi_schema,
    parse_request,
    read_body,
)
from clarity.server.worker import Job, JobError, WorkerPool, where
from clarity.types import Region

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from clarity.server.schema import CheckRequest

log = logging.getLogger("clarity.server")
STATIC = Path(__file__).parent / "static"

#: Routes named in the access log; any other path is logged as ``(other)``.
KNOWN_PATHS = frozenset(
    {
        "/",
        "/healthz",
        "/openapi.json",
        "/v1/check",
        "/v1/presend",
        "/v1/fix",
        "/v1/rules",
        "/v1/settings",
    }
)
_STATIC_PATH = re.compile(r"/static/[A-Za-z0-9._-]{1,64}")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        b"img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    (b"cache-control", b"no-store"),
]


class HTTPError(Exception):
    """An error answered as ``{"error": message, "status": status}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


# --- reading a request ------------------------------------------------------------


async def read_json(request: Request, max_body: int, body_timeout: float) -> Any:
    """The parsed JSON body of ``request``: at most ``max_body`` bytes, arrived within
    ``body_timeout`` seconds."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise HTTPError(415, "send the body as JSON, with Content-Type: application/json")
    length = request.headers.get("content-length")
    if length is not None:
        if not length.isdigit() or len(length) > 18:
            raise HTTPError(400, "Content-Length is not a number")
        declared = int(length)
        if declared > max_body:
            raise HTTPError(413, f"body is {declared:,} bytes; the limit is {max_body:,}")

    async def receive() -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                raise HTTPError(
                    413, f"body is over the {max_body:,}-byte limit", {"Connection": "close"}
                )
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        raw = await asyncio.wait_for(receive(), body_timeout)
    except asyncio.TimeoutError:
        raise HTTPError(
            408, f"the body did not arrive within {body_timeout:g} s", {"Connection": "close"}
        ) from None
    try:
        return read_body(raw)
    except RequestError as exc:
        raise HTTPError(exc.status, exc.message) from None


def job_from(req: CheckRequest, kind: str, policy: Policy) -> Job:
    """The worker's job for a validated request (the policy checked here, before it
    waits for a worker)."""
    changes: dict[str, Any] = {}
    if isinstance(req, PresendRequest) and req.policy is not None:
        changes = req.policy.model_dump(exclude_unset=True)
        policy.update(changes)  # ConfigError: 422
    regions = None
    if req.regions is not None:
        regions = tuple(Region(r.start, r.end, r.kind) for r in req.regions)
    draft = Draft(
        text=req.text,
        incoming=req.incoming,
        subject=req.subject,
        source=req.source,
        regions=regions,
    )
    return Job(
        kind=kind,
        draft=draft,
        settings=json.dumps(req.settings(), sort_keys=True),
        policy=tuple(sorted(changes.items())),
        unsafe=bool(getattr(req, "unsafe", False)),
    )


# --- the guard: host, token, security headers, access log, last-resort errors ------


class Guard:
    """Outermost ASGI middleware."""

    def __init__(self, app: ASGIApp, token: str | None, allowed_hosts: Sequence[str] | None):
        self.app = app
        self.token = token.encode() if token else None
        self.allowed = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method = _escaped(str(scope.get("method", "")))
        route = _route(scope.get("path", ""))
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            refusal = self._refusal(scope)
            if refusal is not None:
                await refusal(scope, receive, send_with_headers)
            else:
                await self.app(scope, receive, send_with_headers)
        except ClientDisconnect:
            log.info("%s %s: the client disconnected", method, route)
            return
        except Exception as exc:
            log.error("internal error in %s %s: %s", method, route, where(exc))
            if status == 0:
                await error_response(500, "internal error")(scope, receive, send_with_headers)
        log.info("%s %s %d %.1f ms", method, route, status, 1000 * (time.perf_counter() - started))

    def _refusal(self, scope: Scope) -> Response | None:
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        if self.allowed is not None:
            host = headers.get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.allowed:
                return error_response(400, "invalid Host header")
        if self.token is not None and scope.get("path", "").startswith("/v1/"):
            given = headers.get(b"authorization", b"")
            scheme, _, value = given.partition(b" ")
            ok = scheme.lower() == b"bearer" and hmac.compare_digest(value.strip(), self.token)
            if not ok:
                return error_response(
                    401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"}
                )
        return None


def _escaped(value: str) -> str:
    """``value`` with control and non-ASCII characters escaped: one log line stays one."""
    return value.encode("unicode_escape").decode("ascii")


def _route(path: str) -> str:
    """The path as logged: a known route or a static file name, else ``(other)``."""
    if path in KNOWN_PATHS or _STATIC_PATH.fullmatch(path):
        return path
    return "(other)"


# --- the application ---------------------------------------------------------------


def create_app(
    config: Config | None = None,
    token: str | None = None,
    max_body: int = MAX_BODY,
    timeout: float = TIMEOUT,
    *,
    policy: Policy | None = None,
    allowed_hosts: Sequence[str] | None = None,
    max_pending: int = 64,
    workers: int = WORKERS,
    body_timeout: float = BODY_TIMEOUT,
) -> Starlette:
    """The ASGI application.

    ``config`` and ``policy`` default to those found from the current folder; ``token``
    to the ``CLARITY_TOKEN`` environment variable (``""``: no token). ``allowed_hosts``:
    the only ``Host`` names answered (default: any). ``max_body`` in bytes,
    ``timeout`` (of one check) and ``body_timeout`` (to receive a body) in seconds;
    ``workers``: the number of worker processes.
    """
    if token is None:
        token = os.environ.get("CLARITY_TOKEN") or None
    config = config if config is not None else load_config()
    policy = policy if policy is not None else load_policy()
    pool = WorkerPool(config, policy, size=workers, timeout=timeout, max_pending=max_pending)
    schema = openapi_schema(__version__)

    async def endpoint(request: Request, kind: str) -> Response:
        try:
            data = await read_json(request, max_body, body_timeout)
            try:
                req = parse_request(data, kind)
            except RequestError as exc:
                raise HTTPError(exc.status, exc.message) from None
            return JSONResponse(await pool.run(job_from(req, kind, policy)))
        except (HTTPError, JobError) as exc:
            return error_response(exc.status, exc.message, exc.headers)
        except ConfigError as exc:
            return error_response(422, str(exc))

    async def check(request: Request) -> Response:
        return await endpoint(request, "check")

    async def presend_(request: Request) -> Response:
        return await endpoint(request, "presend")

    async def fix(request: Request) -> Response:
        return await endpoint(request, "fix")

    async def rules(request: Request) -> Response:
        from clarity.rules import all_rules

        return JSONResponse(
            {
                "rules": [
                    {
                        "code": r.code,
                        "name": r.name,
                        "category": r.category.value,
                        "severity": config.severity_for(r.code, r.severity).value,
                        "enabled": config.is_enabled(r.code, r.opt_in),
                        "summary": r.summary,
                        "doc": r.doc,
                    }
                    for r in all_rules()
                ]
            }
        )

    async def settings(request: Request) -> Response:
        return JSONResponse(
            {
                **public_settings(config),
                "service": {
                    "max_body": max_body,
                    "timeout": timeout,
                    "body_timeout": body_timeout,
                    "workers": workers,
                },
            }
        )

    async def healthz(request: Request) -> Response:
        if pool.state == "ready":
            return JSONResponse(
                {
                    "status": "ok",
                    "version": __version__,
                    "model": pool.model,
                    "auth": bool(token),
                    "workers": pool.status(),
                }
            )
        body: dict[str, Any] = {"status": pool.state}
        if pool.error:
            body["error"] = pool.error
        return JSONResponse(body, status_code=503, headers={"Retry-After": "1"})

    async def openapi(request: Request) -> Response:
        return JSONResponse(schema)

    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(exc.status_code, exc.detail, exc.headers)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(pool.start())
        try:
            yield
        finally:
            task.cancel()
            pool.stop()

    app = Starlette(
        routes=[
            Route("/", page, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
            Route("/v1/check", check, methods=["POST"]),
            Route("/v1/presend", presend_, methods=["POST"]),
            Route("/v1/fix", fix, methods=["POST"]),
            Route("/v1/rules", rules, methods=["GET"]),
            Route("/v1/settings", settings, methods=["GET"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
    app.state.pool = pool
    app.add_middleware(Guard, token=token, allowed_hosts=allowed_hosts)
    return app
