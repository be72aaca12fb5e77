"""Running the service with uvicorn: ``clarity serve``."""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from clarity.config import Config, load_config
from clarity.presend import Policy, load_policy
from clarity.server.app import LOOPBACK_HOSTS, create_app

#: How ``clarity serve --workers N`` hands its settings to the worker processes.
SETTINGS_ENV = "CLARITY_SERVE_SETTINGS"

log = logging.getLogger("clarity.server")


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


def app_from_env() -> Starlette:
    """The application of one worker of ``clarity serve --workers N`` (a uvicorn
    factory): settings from :data:`SETTINGS_ENV`, the token from ``CLARITY_TOKEN``."""
    settings = json.loads(os.environ[SETTINGS_ENV])
    config_file = settings["config_file"]
    return create_app(
        load_config(file=config_file, **settings["overrides"]),
        token=os.environ.get("CLARITY_TOKEN") or "",
        max_body=settings["max_body"],
        timeout=settings["timeout"],
        policy=load_policy(file=config_file),
        allowed_hosts=settings["allowed_hosts"],
    )


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
    workers: int = 1,
    config_file: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> None:
    """Run the service until interrupted.

    With ``workers`` > 1, uvicorn starts that many processes, each loading the pipeline
    and reading the settings again (``config_file`` or the current folder's, then
    ``overrides``); ``config`` and ``policy`` are then only checked."""
    import uvicorn

    allowed: list[str] | None = None
    if is_loopback(host):
        allowed = [*LOOPBACK_HOSTS, *allow_hosts]
    elif allow_hosts:
        allowed = list(allow_hosts)
    if not token and not is_loopback(host):
        print(
            f"clarity: warning: listening on {host} without a token; set CLARITY_TOKEN so "
            "that only your tools can call the service",
            file=sys.stderr,
        )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": log_config(log_level),
        "log_level": log_level,
        "access_log": False,
        "server_header": False,
        "timeout_graceful_shutdown": 5,
    }
    if workers > 1:
        os.environ[SETTINGS_ENV] = json.dumps(
            {
                "config_file": str(config_file) if config_file is not None else None,
                "overrides": {k: v for k, v in (overrides or {}).items() if v is not None},
                "max_body": max_body,
                "timeout": timeout,
                "allowed_hosts": allowed,
            }
        )
        uvicorn.run("clarity.server.run:app_from_env", factory=True, workers=workers, **options)
        return
    app = create_app(
        config,
        token=token or "",
        max_body=max_body,
        timeout=timeout,
        policy=policy,
        allowed_hosts=allowed,
    )
    uvicorn.run(app, **options)
