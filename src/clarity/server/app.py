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
  as they arrive); malformed JSON gets 400, a wrong request 422, always as JSON;
* each check runs on one worker thread with a time limit (503 when it is over, or
  when ``max_pending`` requests already wait);
* the access log holds the method, the route, the status and the time, never a body,
  a query string or an unknown path; an internal error is logged by its type and
  place, never its message (which could quote the text).

The language pipeline is loaded once, in the background, when the service starts:
``/healthz`` answers 503 until it is ready, then 200; ``/v1/`` calls wait for it
within their time limit.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from clarity.__about__ import __version__
from clarity.config import REQUEST_SETTINGS, Config, load_config
from clarity.errors import ClarityError, ConfigError, InputError
from clarity.presend import Policy, check_with, load_policy, presend
from clarity.render import SCHEMA_VERSION, result_dict
from clarity.server import MAX_BODY, TIMEOUT
from clarity.server.openapi import openapi_schema
from clarity.types import Region, Report

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from clarity.engine import Checker

log = logging.getLogger("clarity.server")
STATIC = Path(__file__).parent / "static"
T = TypeVar("T")

#: Routes named in the access log; any other path is logged as ``(other)``.
KNOWN_PATHS = frozenset(
    {"/", "/healthz", "/openapi.json", "/v1/check", "/v1/presend", "/v1/fix", "/v1/rules"}
)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
#: Checked once at start-up, so that the first request finds everything loaded.
WARM_TEXT = (
    "Hi Maria,\n\nIn order to fix the latency, please flush your DNS cache. The VPN was "
    "reconfigured by our team.\n\nKind regards,\nSam"
)
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


# --- requests ----------------------------------------------------------------------


@dataclass(frozen=True)
class DraftRequest:
    """A validated ``/v1/check``, ``/v1/presend`` or ``/v1/fix`` body."""

    text: str
    incoming: str | None = None
    subject: str | None = None
    source: str | None = None
    #: ``None``: detect them (quoted history, signatures...) as ``clarity check`` does.
    regions: tuple[Region, ...] | None = None
    #: Settings over the service's configuration, as canonical JSON (a cache key).
    settings: str = "{}"
    policy: tuple[tuple[str, Any], ...] = ()
    unsafe: bool = False


_COMMON_KEYS = ("text", "incoming", "audience", "subject", "source", "regions", "config")
ENDPOINT_KEYS = {
    "check": frozenset(_COMMON_KEYS),
    "presend": frozenset((*_COMMON_KEYS, "policy")),
    "fix": frozenset((*_COMMON_KEYS, "unsafe")),
}


def _optional_str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise HTTPError(422, f"'{key}' must be a string or null")
    return value


def parse_request(data: dict[str, Any], endpoint: str) -> DraftRequest:
    """Validate a request body (422 naming the field when it is wrong)."""
    unknown = sorted(set(data) - ENDPOINT_KEYS[endpoint])
    if unknown:
        raise HTTPError(
            422,
            f"unknown field(s): {', '.join(unknown)} "
            f"(known: {', '.join(sorted(ENDPOINT_KEYS[endpoint]))})",
        )
    if "text" not in data:
        raise HTTPError(422, "'text' is required")
    text = data["text"]
    if not isinstance(text, str):
        raise HTTPError(422, "'text' must be a string")
    settings = data.get("config") or {}
    if not isinstance(settings, dict):
        raise HTTPError(422, "'config' must be an object")
    bad = sorted(set(settings) - set(REQUEST_SETTINGS))
    if bad:
        raise HTTPError(
            422,
            f"'config': setting(s) not allowed in a request: {', '.join(bad)} "
            f"(allowed: {', '.join(sorted(REQUEST_SETTINGS))})",
        )
    audience = _optional_str(data, "audience")
    if audience is not None:
        settings = {**settings, "audience": audience}
    regions: tuple[Region, ...] | None = None
    if data.get("regions") is not None:
        regions = _parse_regions(data["regions"], len(text))
    policy = data.get("policy") or {}
    if not isinstance(policy, dict):
        raise HTTPError(422, "'policy' must be an object")
    unsafe = data.get("unsafe", False)
    if not isinstance(unsafe, bool):
        raise HTTPError(422, "'unsafe' must be true or false")
    return DraftRequest(
        text=text,
        incoming=_optional_str(data, "incoming"),
        subject=_optional_str(data, "subject"),
        source=_optional_str(data, "source"),
        regions=regions,
        settings=json.dumps(settings, sort_keys=True),
        policy=tuple(sorted(policy.items())),
        unsafe=unsafe,
    )


def _parse_regions(value: Any, length: int) -> tuple[Region, ...]:
    if not isinstance(value, list):
        raise HTTPError(422, "'regions' must be a list of {start, end, kind}")
    out = []
    for n, item in enumerate(value):
        ok = (
            isinstance(item, dict)
            and all(isinstance(item.get(k), int) for k in ("start", "end"))
            and isinstance(item.get("kind"), str)
        )
        if not ok or not 0 <= item["start"] <= item["end"] <= length:
            raise HTTPError(
                422, f"'regions'[{n}] must be {{start, end, kind}} with 0 <= start <= end <= len"
            )
        out.append(Region(item["start"], item["end"], item["kind"]))
    return tuple(out)


async def read_json(request: Request, max_body: int) -> dict[str, Any]:
    """The JSON object of ``request``'s body, within ``max_body`` bytes."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise HTTPError(415, "send the body as JSON, with Content-Type: application/json")
    length = request.headers.get("content-length")
    if length is not None:
        try:
            declared = int(length)
        except ValueError:
            raise HTTPError(400, "Content-Length is not a number") from None
        if declared > max_body:
            raise HTTPError(413, f"body is {declared:,} bytes; the limit is {max_body:,}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body:
            raise HTTPError(413, f"body is over the {max_body:,}-byte limit")
        chunks.append(chunk)
    try:
        body = b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPError(400, f"body is not UTF-8 (byte {exc.start})") from None
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise HTTPError(
            400, f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise HTTPError(400, "malformed JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise HTTPError(422, "the body must be a JSON object")
    return data


# --- the service -------------------------------------------------------------------


def _detect_regions(text: str) -> tuple[Region, ...]:
    """Regions as ``clarity check`` finds them in a text file (none without sources)."""
    try:
        from clarity.sources import document_from_text
    except ImportError:  # pragma: no cover - sources not installed
        return ()
    return tuple(document_from_text(text).regions)


def _result(report: Report, source: str | None) -> dict[str, Any]:
    data = result_dict(report, source)
    tone = getattr(report, "tone", None)
    if tone is not None and "tone" not in data:
        data["tone"] = tone.to_dict()
    return data


class Service:
    """The checkers, the policy, and the one worker thread that runs every check.

    Checkers are built per distinct request settings (at most ``cache_size`` kept) and
    only ever used on the worker thread, so nothing is shared between threads.
    """

    def __init__(
        self,
        config: Config,
        policy: Policy,
        *,
        timeout: float,
        max_pending: int,
        cache_size: int = 16,
    ) -> None:
        self.config = config
        self.policy = policy
        self.timeout = timeout
        self.max_pending = max_pending
        self.cache_size = cache_size
        self.state = "starting"
        self.error: str | None = None
        self.model: dict[str, str] = {}
        self.pending = 0
        self._checkers: OrderedDict[str, Checker] = OrderedDict()
        self._executor: ThreadPoolExecutor | None = None
        self._ready: asyncio.Event | None = None

    # on the worker thread

    def checker(self, settings: str) -> Checker:
        from clarity.engine import Checker

        found = self._checkers.get(settings)
        if found is None:
            changes = json.loads(settings)
            found = Checker(self.config.replace(**changes) if changes else self.config)
            self._checkers[settings] = found
            while len(self._checkers) > self.cache_size:
                self._checkers.popitem(last=False)
        else:
            self._checkers.move_to_end(settings)
        return found

    def load(self) -> None:
        checker = self.checker("{}")
        meta = checker.nlp.meta
        self.model = {"name": f"{meta.get('lang')}_{meta.get('name')}", "version": meta["version"]}
        self.do_presend(DraftRequest(WARM_TEXT))
        self.do_fix(DraftRequest(WARM_TEXT))

    def _regions(self, req: DraftRequest) -> tuple[Region, ...]:
        return req.regions if req.regions is not None else _detect_regions(req.text)

    def do_check(self, req: DraftRequest) -> dict[str, Any]:
        report = check_with(
            self.checker(req.settings),
            req.text,
            incoming=req.incoming,
            regions=self._regions(req),
            source=req.source,
            subject=req.subject,
        )
        return {
            "schema_version": SCHEMA_VERSION,
            "target_grade": self.checker(req.settings).config.effective_target_grade,
            "result": _result(report, req.source),
        }

    def do_presend(self, req: DraftRequest) -> dict[str, Any]:
        verdict = presend(
            req.text,
            incoming=req.incoming,
            policy=self.policy.update(dict(req.policy)),
            checker=self.checker(req.settings),
            regions=self._regions(req),
            subject=req.subject,
            source=req.source,
        )
        return {
            "schema_version": SCHEMA_VERSION,
            "target_grade": self.checker(req.settings).config.effective_target_grade,
            **verdict.to_dict(),
        }

    def do_fix(self, req: DraftRequest) -> dict[str, Any]:
        fixed = self.checker(req.settings).fix(
            req.text, unsafe=req.unsafe, regions=self._regions(req)
        )
        return {
            "schema_version": SCHEMA_VERSION,
            "text": fixed.text,
            "changed": fixed.changed,
            "applied": [f.to_dict() for f in fixed.applied],
            "result": _result(fixed.report, req.source),
        }

    # on the event loop

    async def start(self) -> None:
        """Load the pipeline on the worker thread; called by the app's lifespan."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clarity-check")
        self._ready = asyncio.Event()
        started = time.perf_counter()
        try:
            await asyncio.get_running_loop().run_in_executor(self._executor, self.load)
        except ClarityError as exc:
            self.state, self.error = "error", str(exc)
            log.error("cannot load the language pipeline: %s", exc)
        except Exception as exc:  # pragma: no cover - a bug; logged without details
            self.state, self.error = "error", f"internal error ({type(exc).__name__})"
            log.error("cannot load the language pipeline: %s", _where(exc))
        else:
            self.state = "ready"
            log.info(
                "ready: %s %s loaded in %.1f s",
                self.model.get("name"),
                self.model.get("version"),
                time.perf_counter() - started,
            )
        finally:
            self._ready.set()

    def stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    async def run(self, func: Callable[[DraftRequest], T], req: DraftRequest) -> T:
        """``func(req)`` on the worker thread, within the time limit."""
        deadline = time.monotonic() + self.timeout
        if self.state != "ready":
            if self._ready is None:
                raise HTTPError(503, "the service is starting; try again", {"Retry-After": "1"})
            try:
                await asyncio.wait_for(self._ready.wait(), self.timeout)
            except asyncio.TimeoutError:
                raise HTTPError(503, "still loading; try again", {"Retry-After": "2"}) from None
            if self.state != "ready":
                raise HTTPError(503, f"the service failed to start: {self.error}")
        if self.pending >= self.max_pending:
            raise HTTPError(
                503, f"busy: {self.pending} requests waiting; try again", {"Retry-After": "1"}
            )
        assert self._executor is not None
        self.pending += 1
        future = self._executor.submit(func, req)
        try:
            left = max(0.001, deadline - time.monotonic())
            return await asyncio.wait_for(asyncio.wrap_future(future), left)
        except asyncio.TimeoutError:
            future.cancel()
            raise HTTPError(
                503, f"the check took longer than {self.timeout:g} s", {"Retry-After": "5"}
            ) from None
        finally:
            self.pending -= 1


def _where(exc: BaseException) -> str:
    """``Type at file:line``: an exception named without its message (which may quote
    the text)."""
    frames = traceback.extract_tb(exc.__traceback__)
    place = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}{place}"


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
        path = scope.get("path", "")
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
        except Exception as exc:
            log.error("internal error in %s %s: %s", scope.get("method"), _route(path), _where(exc))
            if status == 0:
                await error_response(500, "internal error")(scope, receive, send_with_headers)
        finally:
            log.info(
                "%s %s %d %.1f ms",
                scope.get("method"),
                _route(path),
                status,
                1000 * (time.perf_counter() - started),
            )

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


def _route(path: str) -> str:
    if path in KNOWN_PATHS or (path.startswith("/static/") and len(path) < 80):
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
) -> Starlette:
    """The ASGI application.

    ``config`` and ``policy`` default to those found from the current folder; ``token``
    to the ``CLARITY_TOKEN`` environment variable (``""``: no token). ``allowed_hosts``:
    the only ``Host`` names answered (default: any). ``max_body`` in bytes,
    ``timeout`` in seconds.
    """
    if token is None:
        token = os.environ.get("CLARITY_TOKEN") or None
    service = Service(
        config if config is not None else load_config(),
        policy if policy is not None else load_policy(),
        timeout=timeout,
        max_pending=max_pending,
    )
    schema = openapi_schema(__version__)

    async def endpoint(request: Request, name: str) -> Response:
        try:
            data = await read_json(request, max_body)
            req = parse_request(data, name)
            if req.policy:
                service.policy.update(dict(req.policy))  # validate before queueing
            func: Callable[[DraftRequest], dict[str, Any]] = getattr(service, f"do_{name}")
            return JSONResponse(await service.run(func, req))
        except HTTPError as exc:
            return error_response(exc.status, exc.message, exc.headers)
        except (ConfigError, InputError) as exc:
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
                        "severity": service.config.severity_for(r.code, r.severity).value,
                        "enabled": service.config.is_enabled(r.code),
                        "summary": r.summary,
                        "doc": r.doc,
                    }
                    for r in all_rules()
                ]
            }
        )

    async def healthz(request: Request) -> Response:
        if service.state == "ready":
            return JSONResponse(
                {
                    "status": "ok",
                    "version": __version__,
                    "model": service.model,
                    "auth": bool(token),
                }
            )
        body: dict[str, Any] = {"status": service.state}
        if service.error:
            body["error"] = service.error
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
        task = asyncio.create_task(service.start())
        try:
            yield
        finally:
            task.cancel()
            service.stop()

    app = Starlette(
        routes=[
            Route("/", page, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
            Route("/v1/check", check, methods=["POST"]),
            Route("/v1/presend", presend_, methods=["POST"]),
            Route("/v1/fix", fix, methods=["POST"]),
            Route("/v1/rules", rules, methods=["GET"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
    app.state.service = service
    app.add_middleware(Guard, token=token, allowed_hosts=allowed_hosts)
    return app
