"""The README screenshot, from a fresh sandbox: /help, then /rca with its chart.

Written to docs/sandbox.png when CLOUDOPS_UPDATE_SCREENSHOT=1 (so ordinary runs leave
the checkout clean)."""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path
from typing import Any

from messages import t
from sandbox import Sandbox
from tests.sandbox.conftest import LANG
from tests.sandbox.test_browser import ask_for_card

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "sandbox.png"
SIZE = (1280, 1000)


def test_readme_screenshot(browser: Any, tmp_path: Path) -> None:
    with Sandbox(lang=LANG).start() as fresh:
        context = browser.new_context(viewport={"width": SIZE[0], "height": SIZE[1]})
        page = context.new_page()
        page.goto(fresh.chat_url)
        page.wait_for_selector("body[data-ready='1']")
        ask_for_card(page, fresh, "/help", t("help.title", LANG))
        title = t("rca.title", LANG, service="payments")
        card = ask_for_card(page, fresh, "/rca payments 30m", title, version=1)
        card.evaluate("node => node.scrollIntoView({block: 'start'})")
        assert card.locator("svg.chart path.chart-line").count() >= 1
        shot = tmp_path / "sandbox.png"
        page.screenshot(path=str(shot))
        context.close()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == SIZE  # the PNG IHDR
    if os.environ.get("CLOUDOPS_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, SCREENSHOT)
