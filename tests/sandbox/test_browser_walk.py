"""The sandbox walk in zh-CN, clicked in the browser: /help → /rca → Diagnose → Approve →
Undo → /forecast → /subscribe → the digest. After every step the chat shows no raw
exception text, no UTC ISO timestamp and no untranslated catalogue key; /forecast and the
digest are real cards (a chart from the sandbox's week of traffic), not error cards."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from messages import catalogue, t
from sandbox import Sandbox
from sandbox.feishu.records import FakeMessage
from tests.sandbox.conftest import open_chat, wait_for
from tests.sandbox.test_browser import ask_for_card, say
from tests.sandbox.test_browser_fix_flow import diagnose_approve_undo

LANG = "zh-CN"
RAW = ("Traceback", "Error(", "HTTPConnectionPool", "Exception:", "NoneType")
UTC_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]00:?00)")
KEY_LIKE = re.compile(r"\b[a-z_]+(?:\.[a-z0-9_]+){1,}\b")


@pytest.fixture(scope="module")
def chinese() -> Iterator[Sandbox]:
    with Sandbox(lang=LANG).start() as running:
        yield running


@pytest.fixture
def page(browser: Any, chinese: Sandbox) -> Iterator[Any]:
    yield from open_chat(browser, chinese)


def reads_right(page: Any) -> None:
    """Everything the chat shows (both chats, cards and bubbles) reads as a person's text."""
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.timeline')].map(t => t.innerText).join('\\n')"
    )
    for raw in RAW:
        assert raw not in shown, f"raw exception text {raw!r} in the chat:\n{shown[-3000:]}"
    stamp = UTC_ISO.search(shown)
    assert stamp is None, f"UTC timestamp {stamp.group(0)!r} in the chat"
    keys = set(catalogue())
    untranslated = {word for word in KEY_LIKE.findall(shown) if word in keys}
    assert not untranslated, f"catalogue keys shown as text: {sorted(untranslated)}"


def patched_card(sandbox: Sandbox, text: str, page: Any) -> FakeMessage:
    """Type ``text``; the bot's reply card once its working card has been patched."""
    ledger = sandbox.platform.ledger
    before = {m.message_id for m in ledger.sent()}
    say(page, text)
    message: FakeMessage = wait_for(
        lambda: [m for m in ledger.sent() if m.message_id not in before and m.versions],
        timeout=60,
    )[0]
    page.wait_for_selector(
        f".msg.from-bot[data-id='{message.message_id}'][data-version='{len(message.versions)}']"
    )
    return message


def title_of(message: FakeMessage) -> str:
    return str(message.content.get("header", {}).get("title", {}).get("content", ""))


def test_the_sandbox_walk_reads_right_in_chinese(page: Any, chinese: Sandbox) -> None:
    ask_for_card(page, chinese, "/help", t("help.title", LANG))
    reads_right(page)

    diagnose_approve_undo(page, chinese, LANG)  # /rca → Diagnose → Approve → Undo
    reads_right(page)

    forecast = patched_card(chinese, "/forecast payments", page)
    assert title_of(forecast) == t("forecast.title", LANG, service="payments")
    shown = page.locator(f".msg[data-id='{forecast.message_id}']")
    assert shown.locator("svg.chart path.chart-line").count() >= 2  # history and forecast
    running = chinese.simulator.world.get("deployments", "payments", "payments")
    replicas = running["spec"]["replicas"]  # the card reads the cluster's replica count
    text = shown.inner_text()
    assert f"{replicas}）" in text and t("forecast.unknown", LANG) not in text, text
    reads_right(page)

    ask_for_card(page, chinese, "/subscribe forecast payments", t("subscribe.title", LANG))
    listed = ask_for_card(page, chinese, "/subscriptions", t("subscribe.list_title", LANG))
    content = chinese.platform.ledger.messages[listed.get_attribute("data-id")].content
    table = next(e for e in content["body"]["elements"] if e["tag"] == "table")
    row = next(r for r in table["rows"] if r["service"] == "payments")
    ledger = chinese.platform.ledger
    before = {m.message_id for m in ledger.sent()}
    say(page, f"/subscriptions run {row['id']}")
    digest_title = t("digest.title", LANG, date="")
    digest = wait_for(
        lambda: [
            m
            for m in ledger.sent()
            if m.message_id not in before and title_of(m).startswith(digest_title)
        ],
        timeout=60,
    )[0]
    page.wait_for_selector(f".msg[data-id='{digest.message_id}']")
    card = page.locator(f".msg[data-id='{digest.message_id}']")
    text = card.inner_text()
    assert "payments" in text and t("digest.failed", LANG, detail="")[:4] not in text
    assert card.locator("svg.chart path.chart-line").count() >= 2
    reads_right(page)
