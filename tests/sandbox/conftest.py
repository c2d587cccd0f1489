"""One sandbox (and one headless Chromium) shared by the sandbox tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox import Sandbox
from sandbox.feishu.records import FakeMessage

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LANG = "en-US"


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(lang=LANG).start() as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=15) as http:
        yield http


def wait_for(predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll ``predicate`` until it returns something truthy (the bot works in background)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(f"condition not met within {timeout}s")


def replies_to(sandbox: Sandbox, message_id: str) -> list[FakeMessage]:
    return [m for m in sandbox.platform.ledger.sent() if m.parent_id == message_id]


@pytest.fixture(scope="package")  # Playwright's sync API holds a running loop: end it here
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():  # never skip: the CI entry installs it (scripts/system-deps.sh)
        pytest.fail("/usr/bin/chromium is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_chat(browser: Any, sandbox: Sandbox) -> Iterator[Any]:
    """The web chat of ``sandbox`` in a fresh browser context; fails on JavaScript errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(sandbox.chat_url)
    opened.wait_for_selector("body[data-ready='1']")
    yield opened
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser: Any, sandbox: Sandbox) -> Iterator[Any]:
    yield from open_chat(browser, sandbox)
