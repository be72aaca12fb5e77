"""The browser extension (``clarity extension``): its files, and the extension itself in
real headless Chromium (Debian's ``chromium`` through Playwright, ``--headless=new``,
which loads extensions) against a real ``clarity serve`` that requires a token and
local fixture pages imitating help desks' reply boxes (``tests/data/extension``).

One browser (one persistent context, the extension loaded) for the module; each test
opens a page. ``CLARITY_SCREENSHOTS=docs/img`` writes the documentation's screenshots.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from _exe import invoke
from clarity.extension import (
    FILES,
    STATIC_FILES,
    helpdesks,
    manifest,
    selectors_markdown,
    write,
    zip_folder,
)
from live_server import LiveServer

ROOT = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).parent / "data" / "extension"
CHROMIUM = os.environ.get("CLARITY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new",  # the new headless mode loads extensions
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "extension-test-token"
SITE = "http://127.0.0.1/*"
JARGON = "In order to fix the latency, please flush your DNS cache."
PLAIN = "Thanks for your patience, Maria. We fixed the sign-in page; please try again."
RUDE = "Just flush your DNS cache and reboot the router. Obviously you should have done that."


# --- the files and the command (no browser) --------------------------------------------


def test_write_bakes_in_the_defaults(tmp_path: Path) -> None:
    out = write(
        tmp_path / "ext",
        server="http://127.0.0.1:9000/",
        token="t0k",
        sites=["https://*.zendesk.com/*", "http://127.0.0.1/*"],
        audience="customer",
    )
    for name in STATIC_FILES:
        assert (out / name).read_bytes() == (FILES / name).read_bytes()
    made = json.loads((out / "manifest.json").read_text())
    assert made["manifest_version"] == 3
    assert made["background"] == {"service_worker": "background.js"}
    # The service's address and the sites: nothing else is granted up front.
    assert made["host_permissions"] == [
        "http://127.0.0.1/*",
        "https://*.zendesk.com/*",
    ]
    assert made["content_scripts"][0]["matches"] == ["https://*.zendesk.com/*", SITE]
    assert set(made["permissions"]) == {"storage", "scripting"}
    defaults = json.loads((out / "defaults.json").read_text())
    assert defaults == {
        "server": "http://127.0.0.1:9000",
        "token": "t0k",
        "audience": "customer",
        "sites": [
            {"pattern": "https://*.zendesk.com/*", "helpdesk": "auto"},
            {"pattern": SITE, "helpdesk": "auto"},
        ],
    }
    # No site: no content script until the user adds one on the options page.
    assert "content_scripts" not in manifest()
    # Written again over itself: updated, not refused.
    write(out, sites=[SITE])
    assert json.loads((out / "defaults.json").read_text())["token"] == ""


def test_zip_is_for_a_store_and_reproducible(tmp_path: Path) -> None:
    out = write(tmp_path / "ext", sites=[SITE])
    first = zip_folder(out).read_bytes()
    assert zip_folder(out).read_bytes() == first
    with zipfile.ZipFile(tmp_path / "ext.zip") as archive:
        names = set(archive.namelist())
    assert "manifest.json" in names and "icons/icon128.png" in names
    assert names == {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def test_command_and_its_errors(tmp_path: Path) -> None:
    done = invoke(
        "extension",
        "--out",
        str(tmp_path / "e"),
        "--site",
        SITE,
        "--zip",
        env={"CLARITY_TOKEN": "x"},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "e.zip").is_file()
    assert json.loads((tmp_path / "e" / "defaults.json").read_text())["token"] == "x"
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    for args, expected in [
        (["--site", "zendesk.com"], "is not a site pattern"),
        (["--server", "ftp://127.0.0.1"], "is not the address of a clarity service"),
        (["--server", "http://127.0.0.1:8765/v1"], "is not the address"),
    ]:
        bad = invoke("extension", "--out", str(tmp_path / "x"), *args)
        assert bad.returncode == 2 and expected in bad.stderr
        assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    full = invoke("extension", "--out", str(tmp_path / "full"))
    assert full.returncode == 2 and "not empty" in full.stderr
    assert (tmp_path / "full" / "notes.txt").read_text() == "mine"


def test_docs_show_the_selectors_and_the_files_ship() -> None:
    page = (ROOT / "docs" / "extension.md").read_text(encoding="utf-8")
    assert selectors_markdown() in page, "docs/extension.md: paste selectors_markdown()"
    assert {d["id"] for d in helpdesks()} >= {
        "zendesk",
        "freshdesk",
        "helpscout",
        "zammad",
        "osticket",
        "gmail",
        "generic",
    }
    # The package's own folder (what the wheel ships: hatch includes every file under
    # src/clarity) holds every file the extension needs.
    for name in [*STATIC_FILES, "manifest.json", "defaults.json"]:
        assert (FILES / name).is_file(), name


# --- the extension in Chromium -------------------------------------------------------------


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if not Path(CHROMIUM).exists():
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@dataclass
class Browser:
    context: Any
    worker: Any  # the extension's service worker
    id: str
    server: LiveServer
    pages: str  # the fixture pages' address

    def storage(self, key: str) -> Any:
        return self.worker.evaluate(f"chrome.storage.local.get({key!r}).then(r => r[{key!r}])")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    missing = _missing()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the extension test must run in CI: {missing}", pytrace=False)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    tmp = tmp_path_factory.mktemp("extension")
    server = LiveServer(tmp, "--workers", "1", env={"CLARITY_TOKEN": TOKEN})
    pages = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(PAGES))
    )
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    ext = write(tmp / "ext", server=server.url, token=TOKEN, sites=[SITE])
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(tmp / "profile"),
                executable_path=CHROMIUM,
                headless=False,  # --headless=new is in ARGS
                args=[*ARGS, f"--disable-extensions-except={ext}", f"--load-extension={ext}"],
                viewport={"width": 1100, "height": 760},
            )
            try:
                workers = context.service_workers
                worker = workers[0] if workers else context.wait_for_event("serviceworker")
                ext_id = worker.url.split("/")[2]
                server.wait_ready()
                yield Browser(
                    context, worker, ext_id, server, f"http://127.0.0.1:{pages.server_port}"
                )
            finally:
                context.close()
    finally:
        pages.shutdown()
        server.stop()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Any]:
    opened = browser.context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    opened.close()
    assert errors == []


def _shot(page: Any, name: str) -> None:
    """A screenshot for docs/img, when CLARITY_SCREENSHOTS names the folder."""
    folder = os.environ.get("CLARITY_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name))


def _hover(page: Any, locator: Any) -> None:
    box = locator.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 4, box["y"] + box["height"] / 2)


def test_textarea_in_a_form_works_with_no_setup(page: Any, browser: Browser) -> None:
    from playwright.sync_api import expect

    page.goto(browser.pages + "/form.html")
    reply = page.locator("#reply")
    reply.fill(JARGON)
    reply.evaluate("el => el.setSelectionRange(12, 12)")  # the caret mid-text
    mark = page.locator('[data-clarity-code="J001"]')
    expect(mark.first).to_be_visible(timeout=30_000)
    assert mark.count() == 3  # latency, flush, DNS cache
    # Marking changed neither the text nor the caret, nor took the focus.
    assert reply.input_value() == JARGON
    assert reply.evaluate("el => [el.selectionStart, el.selectionEnd]") == [12, 12]
    assert page.evaluate("document.activeElement.id") == "reply"
    badge = page.locator(".clarity-badge")
    expect(badge).to_have_attribute("data-clarity-state", "blocked")
    # The mark lies over its words (the overlay follows the textarea's own layout).
    area = reply.bounding_box()
    box = page.locator('[data-clarity-code="W001"]').bounding_box()
    assert area["x"] <= box["x"] < area["x"] + 60 and area["y"] <= box["y"] < area["y"] + 40

    # The caret moved into a mark shows its card (the keyboard's way to hover).
    reply.evaluate("el => el.setSelectionRange(20, 20)")
    page.keyboard.press("ArrowRight")  # into "latency" (21-28)
    expect(page.locator('[data-clarity-card="J001"]')).to_contain_text("latency")
    # Hovering shows the message, the suggestion and the fix.
    _hover(page, page.locator('[data-clarity-code="J001"]').nth(0))
    card = page.locator('[data-clarity-card="J001"]')
    expect(card).to_contain_text("delay")
    _hover(page, page.locator('[data-clarity-code="W001"]'))
    card = page.locator('[data-clarity-card="W001"]')
    expect(card).to_be_visible()
    _shot(page, "extension-marks.png")
    # A safe fix through the textarea's own editing; its own undo takes it back.
    card.locator('[data-clarity-action="apply-fix"]').click()
    fixed = JARGON.replace("In order to fix", "To fix")
    expect(reply).to_have_value(fixed)
    page.keyboard.press("Control+z")
    expect(reply).to_have_value(JARGON)

    # A jargon reply is held at "Send": Cancel keeps it, Fix applies the safe fixes.
    expect(badge).to_have_attribute("data-clarity-state", "blocked", timeout=30_000)
    page.get_by_role("button", name="Send").click()
    panel = page.locator('[data-clarity-verdict="blocked"]')
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("J001")
    _shot(page, "extension-hold.png")
    panel.locator('[data-clarity-action="cancel"]').click()
    expect(panel).to_have_count(0)
    assert page.url.endswith("/form.html")
    page.get_by_role("button", name="Send").click()
    panel.locator('[data-clarity-action="fix"]').click()
    expect(reply).to_have_value(fixed)
    expect(panel).to_have_count(0)

    # Sent before its check came back: held while checked, then "Send anyway".
    before = (browser.storage("stats") or {}).get("sendAnyway", 0)
    reply.fill(RUDE)
    page.get_by_role("button", name="Send").click()
    expect(panel).to_be_visible(timeout=30_000)
    panel.locator('[data-clarity-action="send-anyway"]').click()
    expect(page.locator("#sent")).to_be_visible()
    assert "reply=Just+flush" in page.url
    stats = browser.storage("stats")
    assert stats["sendAnyway"] == before + 1
    assert stats["log"][-1]["host"].startswith("127.0.0.1:")
    assert "J001" in stats["log"][-1]["codes"]
    assert "flush" not in json.dumps(stats)  # the text is never kept

    # A plain reply goes at once.
    page.goto(browser.pages + "/form.html")
    page.locator("#reply").fill(PLAIN)
    expect(page.locator(".clarity-badge")).to_have_attribute(
        "data-clarity-state", "ready", timeout=30_000
    )
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#sent")).to_be_visible()


def test_contenteditable_with_the_customers_message(page: Any, browser: Browser) -> None:
    from playwright.sync_api import expect

    page.goto(browser.pages + "/zammad.html")
    editor = page.locator(".articleNewEdit-body")
    editor.click()
    text = "In order to help, please restart the router."
    checks = browser.server.log_path.read_text().count("POST /v1/presend")
    page.keyboard.type(text)
    html = editor.inner_html()
    caret = "getSelection().anchorOffset"
    where = page.evaluate(caret)
    # The customer's message (Zammad's selector) went with the draft: T012 (an upset
    # customer not acknowledged) and T013 (their question left unanswered).
    expect(page.locator('[data-clarity-code="T012"]')).to_have_count(1, timeout=30_000)
    expect(page.locator('[data-clarity-code="T013"]')).to_have_count(1)
    assert editor.inner_html() == html and page.evaluate(caret) == where
    # 45 keys typed, checked once (debounced), not once a key.
    assert browser.server.log_path.read_text().count("POST /v1/presend") - checks <= 2
    # The wordy phrase's safe fix, through the editor's own editing, and its own undo.
    _hover(page, page.locator('[data-clarity-code="W001"]'))
    page.locator('[data-clarity-card="W001"] [data-clarity-action="apply-fix"]').click()
    expect(editor).to_have_text("To help, please restart the router.")
    page.keyboard.press("Control+z")
    expect(editor).to_have_text(text)
    # Zammad's send button ("Update", found by its selector) is held.
    expect(page.locator('[data-clarity-code="T012"]')).to_have_count(1, timeout=30_000)
    page.locator(".js-submit").click()
    panel = page.locator('[data-clarity-verdict="blocked"]')
    expect(panel).to_contain_text("T012")
    panel.locator('[data-clarity-action="cancel"]').click()
    expect(page.locator("#outbox li")).to_have_count(0)
    expect(editor).to_have_text(text)


def test_iframe_editor_held_and_sent_anyway(page: Any, browser: Browser) -> None:
    from playwright.sync_api import expect

    page.goto(browser.pages + "/iframe.html")
    page.frame_locator("#editor-frame").locator("body").click()
    page.keyboard.type(RUDE)
    marks = page.locator('[data-clarity-code="J001"]')
    expect(marks.first).to_be_visible(timeout=30_000)
    frame = page.locator("#editor-frame").bounding_box()
    for box in [marks.nth(i).bounding_box() for i in range(marks.count())]:
        assert frame["x"] <= box["x"] <= frame["x"] + frame["width"]
        assert frame["y"] <= box["y"] <= frame["y"] + frame["height"]
    page.locator("#send").click()
    panel = page.locator('[data-clarity-verdict="blocked"]')
    expect(panel).to_be_visible()
    expect(page.locator("#outbox li")).to_have_count(0)
    panel.locator('[data-clarity-action="send-anyway"]').click()
    expect(page.locator("#outbox li")).to_have_text(RUDE)


def test_editor_added_after_load(page: Any, browser: Browser) -> None:
    from playwright.sync_api import expect

    page.goto(browser.pages + "/late.html")
    page.locator("#compose").click()
    box = page.locator("[role=textbox]")
    box.click()
    page.keyboard.type(PLAIN)
    badge = page.locator(".clarity-badge")
    expect(badge).to_have_attribute("data-clarity-state", "ready", timeout=30_000)
    page.locator("[role=button]", has_text="Send").click()  # not held, no delay
    expect(page.locator("#outbox li")).to_have_text(PLAIN)
    expect(page.locator('[data-clarity-verdict="blocked"]')).to_have_count(0)
    # A second window; Ctrl+Enter is held too.
    page.locator("#compose").click()
    page.locator("[role=textbox]").click()
    page.keyboard.type(RUDE)
    expect(page.locator('[data-clarity-code="J001"]').first).to_be_visible(timeout=30_000)
    page.keyboard.press("Control+Enter")
    expect(page.locator('[data-clarity-verdict="blocked"]')).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator('[data-clarity-verdict="blocked"]')).to_have_count(0)
    expect(page.locator("#outbox li")).to_have_count(1)


def test_pages_cannot_read_the_service_and_the_extension_has_the_token(
    page: Any, browser: Browser
) -> None:
    from playwright.sync_api import expect

    server = browser.server
    page.goto(browser.pages + "/form.html")
    # A page of another origin (the fixture server's), even knowing the token: the
    # service grants no CORS, so Chromium refuses to let the page read any answer.
    probe = """async ([url, token]) => {
        const out = [];
        const calls = [
          [url + "/healthz", {}],
          [url + "/v1/settings", {headers: {Authorization: "Bearer " + token}}],
          [url + "/v1/presend", {method: "POST", body: JSON.stringify({text: "hi"}),
            headers: {"Content-Type": "application/json", Authorization: "Bearer " + token}}],
          [url + "/v1/presend", {method: "POST", body: JSON.stringify({text: "hi"})}],
        ];
        for (const [u, init] of calls) {
          try { const r = await fetch(u, init); out.push("read " + r.status); }
          catch (e) { out.push(e.name); }
        }
        return out;
    }"""
    assert page.evaluate(probe, [server.url, TOKEN]) == ["TypeError"] * 4
    _, headers, _ = server.request("OPTIONS", "/v1/presend", headers={"Origin": "x"})
    assert "access-control-allow-origin" not in headers
    # A newer draft of the same editor aborts the call still running for the older one.
    answers = browser.worker.evaluate(
        "Promise.all([check('k', {text: 'Please flush the DNS cache.'}),"
        " check('k', {text: 'Please restart it.'})])"
    )
    assert answers[0] == {"ok": False, "aborted": True}
    assert answers[1]["ok"] and answers[1]["data"]["result"]["text"] == "Please restart it."
    # The service wants the token; the extension has it (baked in) and its checks work.
    assert server.request("POST", "/v1/check", {"text": "hi"})[0] == 401
    page.locator("#reply").fill("Please flush your DNS cache.")
    expect(page.locator('[data-clarity-code="J001"]')).to_have_count(2, timeout=30_000)


def test_options_page(page: Any, browser: Browser) -> None:
    from playwright.sync_api import expect

    page.goto(f"chrome-extension://{browser.id}/options.html")
    expect(page.locator("#server")).to_have_value(browser.server.url)
    expect(page.locator("#token")).to_have_value(TOKEN)
    expect(page.locator("tr.site [name=pattern]")).to_have_value(SITE)
    page.locator("#test").click()
    expect(page.locator("#test-result")).to_have_text(
        re.compile(r"connected: clarity [\d.]+, token accepted")
    )
    stats = browser.storage("stats") or {}
    expect(page.locator("#anyway-count")).to_have_text(str(stats.get("sendAnyway", 0)))
    # The reader, and a per-site selector (where this site keeps the customer's message).
    page.locator("#audience").select_option("technical")
    page.locator("tr.site [name=incoming]").fill(".no-such-thing")
    _shot(page, "extension-options.png")
    page.locator("#save").click()
    expect(page.locator("#status")).to_have_text("Saved.")
    saved = browser.storage("settings")
    assert saved["audience"] == "technical"
    assert saved["sites"][0]["incoming"] == ".no-such-thing"
    try:
        # Both apply to the next page: "VPN" is plain for a technical reader, and the
        # customer's message is no longer found, so T012/T013 are not reported.
        page.goto(browser.pages + "/zammad.html")
        page.locator(".articleNewEdit-body").click()
        page.keyboard.type("Please reconnect to the VPN and restart the router.")
        badge = page.locator(".clarity-badge")
        expect(badge).to_have_attribute("data-clarity-state", "ready", timeout=30_000)
        assert page.locator("[data-clarity-code]").count() == 0
    finally:
        browser.worker.evaluate("chrome.storage.local.remove('settings')")
