"""The page at ``/``, end to end in real headless Chromium (Debian's ``chromium``,
driven by Playwright; ``.ci/run`` installs it). Nothing is fetched from outside."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from live_server import LiveServer

CHROMIUM = os.environ.get("CLARITY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[1]
DRAFT = (ROOT / "examples" / "draft.txt").read_text(encoding="utf-8")


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if not Path(CHROMIUM).exists():
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    return None


if _missing() is not None:
    if os.environ.get("CI"):
        pytest.fail(f"the page test must run in CI: {_missing()}", pytrace=False)
    pytest.skip(str(_missing()), allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("page"))
    try:
        live.wait_ready()
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1360, "height": 1000})
    opened = context.new_page()
    outside: list[str] = []

    def only_local(route: Any) -> None:
        url = route.request.url
        if url.startswith(server.url) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    opened.route("**/*", only_local)
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield opened
    context.close()
    assert outside == [], "the page asked for something outside the service"
    assert errors == []


def _finding(page: Page, code: str, quote: str) -> Any:
    return page.locator(f'.finding[data-code="{code}"]').filter(has_text=quote).first


def test_type_a_draft_see_highlights_apply_a_fix(page: Page, server: LiveServer, tmp_path: Path):
    page.goto(server.url + "/")
    expect(page.locator("#verdict")).to_have_text("Type or paste a reply to check it.")
    page.locator("#draft").fill(DRAFT[:-40])
    page.locator("#draft").press_sequentially(DRAFT[-40:])  # typed, as a person would
    marks = page.locator("#marked span.hl-jargon")
    expect(marks.filter(has_text="latency").first).to_be_visible(timeout=30_000)
    expect(page.locator("#marked span.hl-readability").first).to_be_visible()
    expect(page.locator("#marked span.hl-wordiness").first).to_be_visible()
    expect(page.locator("#marked span.region").first).to_contain_text("Daniel")
    assert page.locator("#marked").inner_text() == DRAFT
    expect(page.locator("#verdict")).to_contain_text("Hold on before sending")
    grade = server.request("POST", "/v1/check", {"text": DRAFT})[2]["result"]["readability"][
        "grade"
    ]
    expect(page.locator("#grade-value")).to_have_text(f"{grade:.1f}")
    expect(page.locator("#grade-target")).to_have_text("target 8 or lower")
    assert int(page.locator("#score-value").inner_text()) < 60
    expect(page.locator("#tone-value")).not_to_have_text("–")
    assert page.locator(".finding").count() > 20
    page.screenshot(path=str(tmp_path / "page.png"))

    # Clicking a mark shows its explanation.
    marks.filter(has_text="latency").first.click()
    card = _finding(page, "J001", "latency")
    expect(card).to_have_class("finding sev-warning active")
    expect(card).to_contain_text("delay")

    # Apply a safe fix: "In order to expedite" -> "To expedite".
    wordy = _finding(page, "W001", "In order to")
    button = wordy.locator("button.safe")
    expect(button).to_contain_text("Apply")
    button.click()
    draft = page.locator("#draft")
    expect(draft).not_to_have_value(DRAFT)
    value = draft.input_value()
    assert "In order to expedite" not in value and "To expedite" in value
    assert value == DRAFT.replace("In order to expedite", "To expedite")
    # ...and the page checks the new text.
    expect(page.locator("#marked")).not_to_have_class("marked stale")
    expect(_finding(page, "W001", "In order to")).to_have_count(0)
    assert page.locator("#marked").inner_text() == value

    # Apply all safe fixes at once.
    page.locator("#fix-all").click()
    expect(draft).not_to_have_value(value)
    expect(page.locator("#marked")).not_to_have_class("marked stale")
    assert "prior to" not in draft.input_value()


def test_offsets_survive_emoji(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/")
    text = "😀 Thanks! 👍🏽 Please clear your DNS cache."
    page.locator("#draft").fill(text)
    page.locator("#check").click()
    mark = page.locator("#marked span.hl-jargon")
    expect(mark).to_have_text("DNS cache", timeout=30_000)
    card = _finding(page, "J001", "DNS cache")
    button = card.locator("button.unsafe")
    expect(button).to_contain_text("check the meaning")
    _status, _, data = server.request("POST", "/v1/check", {"text": text})
    (finding,) = [f for f in data["result"]["findings"] if f["code"] == "J001"]
    (edit,) = finding["fix"]["edits"]
    expected = text[: edit["start"]] + edit["replacement"] + text[edit["end"] :]
    button.click()
    expect(page.locator("#draft")).to_have_value(expected)
    expect(page.locator("#verdict")).to_have_text("Ready to send.", timeout=30_000)


def test_customer_message_and_audience(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/")
    page.locator("#incoming-box summary").click()
    # (A term the customer used first is not reported: the message must not name it.)
    page.locator("#incoming").fill("My connection to the office keeps dropping, what do I do?")
    page.locator("#audience").select_option("technical")
    page.locator("#draft").fill("Please reconnect to the VPN and restart the laptop.")
    page.locator("#check").click()
    expect(page.locator("#grade-target")).to_have_text("target 12 or lower", timeout=30_000)
    expect(page.locator("#verdict")).to_have_text("Ready to send.")
    page.locator("#audience").select_option("customer")
    expect(page.locator("#marked span.hl-jargon")).to_have_text("VPN", timeout=30_000)


def test_page_asks_for_the_token(browser: Browser, tmp_path: Path) -> None:
    live = LiveServer(tmp_path, env={"CLARITY_TOKEN": "page-token"})
    try:
        live.wait_ready()
        context = browser.new_context()
        page = context.new_page()
        page.goto(live.url + "/")
        expect(page.locator("#token-box")).to_be_hidden()
        page.locator("#draft").fill("Please clear your DNS cache.")
        page.locator("#check").click()
        expect(page.locator("#token-box")).to_be_visible(timeout=30_000)
        expect(page.locator("#status")).to_have_text("missing or wrong bearer token")
        page.locator("#token").fill("page-token")
        page.locator("#token").press("Enter")
        page.locator("#check").click()
        expect(page.locator("#marked span.hl-jargon")).to_have_text("DNS cache", timeout=30_000)
        context.close()
    finally:
        live.stop()
