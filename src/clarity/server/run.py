"""Running the service with uvicorn: ``clarity serve``."""

from __future__ import annotations

import errno
import ipaddress
import logging
import socket
import sys
from collections.abc import Sequence
from typing import Any

from clarity.config import Config
from clarity.errors import ClarityError
from clarity.presend import Policy
from clarity.server import BODY_TIMEOUT, WORKERS
from clarity.server.app import LOOPBACK_HOSTS, create_app

log = logging.getLogger("clarity.server")


class ServeError(ClarityError):
    """The service cannot start (the port is in use, the address is not local...)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def log_config(level: str = "info") -> dict[str, Any]:
    """Logging for uvicorn and the service: one line per event on standard error.

    uvicorn's own access log is off: the service logs each request itself, without
    query strings or bodies (see :class:`clarity.server.app.Guard`)."""
    fmt = {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    handler = {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": fmt},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "clarity.server": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
        },
    }


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, or :class:`ServeError` with one line (a busy
    port is found here, before uvicorn starts, and nothing else is printed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} is in use on {host}; stop the other service or choose "
                "another port with --port"
            ) from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def serve(
    *,
    host: str,
    port: int,
    config: Config,
    policy: Policy,
    token: str | None,
    max_body: int,
    timeout: float,
    allow_hosts: Sequence[str] = (),
    log_level: str = "info",
    workers: int = WORKERS,
    body_timeout: float = BODY_TIMEOUT,
) -> None:
    """Run the service until interrupted, with ``workers`` worker processes for the
    checks (each loads the pipeline once).

    Raises :class:`ServeError` (a :class:`~clarity.errors.ClarityError`) with one line
    when it cannot listen (the port is in use...)."""
    import uvicorn

    allowed: list[str] | None = None
    if is_loopback(host):
        allowed = [*LOOPBACK_HOSTS, *allow_hosts]
    elif allow_hosts:
        allowed = list(allow_hosts)
    sock = listen(host, port)
    if not token and not is_loopback(host):
        print(
            f"clarity: warning: listening on {host} without a token; set CLARITY_TOKEN so "
            "that only your tools can call the service",
            file=sys.stderr,
        )
    app = create_app(
        config,
        token=token or "",
        max_body=max_body,
        timeout=timeout,
        policy=policy,
        allowed_hosts=allowed,
        workers=max(1, workers),
        body_timeout=body_timeout,
    )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            log_config=log_config(log_level),
            log_level=log_level,
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=5,
        )
    )
    with sock:
        server.run(sockets=[sock])
