"""The Chromium (Manifest V3) extension that checks replies where agents type them.

Its files are static, in ``clarity/extension/chromium`` (shipped in the wheel):
``background.js`` (the service worker, the only part that calls the clarity service,
under its host permission for the service's address), ``content.js`` and
``content.css`` (the editors, the overlay, the send hold), the options page,
``helpdesks.json`` (each help desk's selectors: data, not code) and the icons.

:func:`write` writes it unpacked with an admin's defaults baked in (the service's
address and token, the sites it runs on: ``defaults.json`` and the manifest's host
permissions and content scripts); :func:`zip_folder` packs it for a store upload.
``clarity extension`` is the command. See ``docs/extension.md``.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from clarity.__about__ import __version__
from clarity.errors import ConfigError

__all__ = [
    "DEFAULT_SERVER",
    "FILES",
    "helpdesks",
    "manifest",
    "selectors_markdown",
    "server_url",
    "site_pattern",
    "write",
    "zip_folder",
]

#: The extension's own files.
FILES = Path(__file__).parent / "chromium"
#: Where ``clarity serve`` listens by default.
DEFAULT_SERVER = "http://127.0.0.1:8765"
#: Files of :data:`FILES` written as they are (the manifest and defaults are made).
STATIC_FILES = (
    "background.js",
    "content.js",
    "content.css",
    "options.html",
    "options.js",
    "options.css",
    "helpdesks.json",
    "icons/icon16.png",
    "icons/icon48.png",
    "icons/icon128.png",
)
# A Chrome match pattern: scheme://host/path, host "*", "*.example.com" or a name,
# an optional port; see developer.chrome.com/docs/extensions/develop/concepts/match-patterns.
_PATTERN = re.compile(
    r"(\*|https?)://(\*|(\*\.)?[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(:(\d{1,5}|\*))?/\S*"
)
# Chrome stamps a zip entry's time; a fixed one keeps the archive the same byte for byte.
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def site_pattern(pattern: str) -> str:
    """``pattern`` checked as a Chrome match pattern for a web site
    (``https://*.zendesk.com/*``, ``http://127.0.0.1/*``); :class:`ConfigError` if not."""
    value = pattern.strip()
    if not _PATTERN.fullmatch(value):
        raise ConfigError(
            f"--site {pattern!r} is not a site pattern; write one as "
            "https://*.zendesk.com/* or http://127.0.0.1/*"
        )
    return value


def server_url(url: str) -> str:
    """The clarity service's address, ``http(s)://host[:port]``; :class:`ConfigError`
    for anything else (a path, a query, another scheme)."""
    value = url.strip().rstrip("/")
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or port == -1
    ):
        raise ConfigError(
            f"--server {url!r} is not the address of a clarity service; "
            f"write it as {DEFAULT_SERVER}"
        )
    return value


def _server_permission(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}/*"


def _version() -> str:
    """The extension's version: the numbers of clarity's (Chrome takes 1 to 4 numbers)."""
    numbers = re.findall(r"\d+", __version__.split("+")[0])[:3]
    return ".".join(str(int(n)) for n in numbers) or "0.0.0"


def helpdesks() -> list[dict[str, str]]:
    """Each help desk's selectors, as ``helpdesks.json`` gives them."""
    data = json.loads((FILES / "helpdesks.json").read_text(encoding="utf-8"))
    desks: list[dict[str, str]] = data["helpdesks"]
    return desks


def selectors_markdown() -> str:
    """The table of each help desk's default selectors, as ``docs/extension.md`` shows
    it (a test keeps the page and ``helpdesks.json`` the same)."""

    def code(value: str) -> str:
        return "<br>".join(f"`{part.strip()}`" for part in value.split(", ") if part.strip())

    lines = [
        "| help desk | found by | reply editor | send button | customer's message |",
        "| --- | --- | --- | --- | --- |",
    ]
    for desk in helpdesks():
        ways = []
        if desk["hosts"]:
            ways.append(f"host `{desk['hosts']}`")
        if desk["detect"]:
            ways.append(f"page has `{desk['detect']}`")
        found = " or ".join(ways) or "any other page"
        lines.append(
            f"| {desk['name']} | {found} | {code(desk['editor'])} | {code(desk['send'])} "
            f"| {code(desk['incoming'])} |"
        )
    return "\n".join(lines) + "\n"


def manifest(server: str = DEFAULT_SERVER, sites: Sequence[str] = ()) -> dict[str, Any]:
    """The manifest for these defaults: host permission for the service's address and
    the sites, content scripts on the sites."""
    base: dict[str, Any] = json.loads((FILES / "manifest.json").read_text(encoding="utf-8"))
    base["version"] = _version()
    wanted = [_server_permission(server_url(server))]
    patterns = list(dict.fromkeys(site_pattern(s) for s in sites))
    base["host_permissions"] = list(dict.fromkeys([*wanted, *patterns]))
    if patterns:
        base["content_scripts"] = [
            {
                "matches": patterns,
                "js": ["content.js"],
                "css": ["content.css"],
                "run_at": "document_idle",
            }
        ]
    else:
        base.pop("content_scripts", None)
    return base


def write(
    out: Path,
    *,
    server: str = DEFAULT_SERVER,
    token: str = "",
    sites: Sequence[str] = (),
    audience: str = "",
) -> Path:
    """Write the unpacked extension into the folder ``out`` with these defaults (the
    options page can still change them); returns ``out``.

    ``out`` may be missing, empty, or an extension written before (it is updated);
    anything else is refused with :class:`ConfigError`, so nothing is overwritten by
    mistake."""
    url = server_url(server)
    patterns = list(dict.fromkeys(site_pattern(s) for s in sites))
    made = manifest(url, patterns)
    if out.exists():
        if not out.is_dir():
            raise ConfigError(f"--out {out}: not a folder")
        if any(out.iterdir()) and not (out / "manifest.json").is_file():
            raise ConfigError(
                f"--out {out}: the folder is not empty and holds no extension; "
                "name a new or empty folder"
            )
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in STATIC_FILES:
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(FILES / name, target)
        defaults = {
            "server": url,
            "token": token.strip(),
            "audience": audience,
            "sites": [{"pattern": p, "helpdesk": "auto"} for p in patterns],
        }
        _write_json(out / "defaults.json", defaults)
        _write_json(out / "manifest.json", made)
    except OSError as exc:
        raise ConfigError(
            f"--out {out}: cannot write the extension ({exc.strerror or exc})"
        ) from None
    return out


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def zip_folder(folder: Path, dest: Path | None = None) -> Path:
    """Pack the unpacked extension ``folder`` as a zip for a store upload (its files at
    the archive's top, as the Chrome Web Store and Edge Add-ons want), the same bytes
    for the same files; ``dest`` defaults to ``<folder>.zip``."""
    target = dest if dest is not None else folder.with_name(folder.name + ".zip")
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    try:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), _ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    except OSError as exc:
        raise ConfigError(f"cannot write {target} ({exc.strerror or exc})") from None
    return target
