"""The web chat in headless Chromium: type commands, see cards rendered from the bot's
real replies (charts included), click buttons, take the README screenshot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from messages import t
from sandbox import Sandbox
from tests.sandbox.conftest import LANG, wait_for


def say(page: Any, text: str) -> None:
    page.fill("#input", text)
    page.keyboard.press("Enter")


def ask_for_card(page: Any, sandbox: Sandbox, text: str, title: str, version: int = 0) -> Any:
    """Type ``text``; wait for the bot's new card titled ``title`` (patched ``version``
    times) in the ledger, then for the page to show that very message."""
    ledger = sandbox.platform.ledger
    before = {m.message_id for m in ledger.sent()}

    def arrived() -> list[Any]:
        return [
            m
            for m in ledger.sent()
            if m.message_id not in before
            and len(m.versions) >= version
            and m.content.get("header", {}).get("title", {}).get("content") == title
        ]

    say(page, text)
    message = wait_for(arrived, timeout=30)[0]
    selector = (
        f".msg.from-bot[data-id='{message.message_id}'][data-version='{len(message.versions)}']"
    )
    page.wait_for_selector(selector, timeout=10_000)
    return page.locator(selector)


def rca_card(page: Any, sandbox: Sandbox, lang: str = LANG) -> tuple[Any, dict[str, Any]]:
    title = t("rca.title", lang, service="payments")
    card = ask_for_card(page, sandbox, "/rca payments 30m", title, version=1)
    return card, sandbox.platform.ledger.messages[card.get_attribute("data-id")].content


def test_help_lists_every_skill(page: Any, sandbox: Sandbox) -> None:
    card = ask_for_card(page, sandbox, "/help", t("help.title", LANG))
    text = card.inner_text()
    skills = sandbox.registry.visible()
    assert skills and all(f"/{skill.name}" in text for skill in skills)
    assert page.locator(".msg.from-user").last.inner_text().endswith("/help")


def test_rca_card_renders_its_table_chart_and_buttons(page: Any, sandbox: Sandbox) -> None:
    card, content = rca_card(page, sandbox)
    assert (
        card.locator(".card-header").get_attribute("data-template") == content["header"]["template"]
    )
    table = next(e for e in content["body"]["elements"] if e["tag"] == "table")
    assert card.locator(".card-table tbody tr").count() == min(
        len(table["rows"]), table["page_size"]
    )
    first_row = card.locator(".card-table tbody tr").first.inner_text()
    assert table["rows"][0]["entity"] in first_row
    spec = next(e for e in content["body"]["elements"] if e["tag"] == "chart")["chart_spec"]
    series = {v[spec["seriesField"]] for v in spec["data"]["values"]}
    tags = [tag["text"]["content"] for tag in content["header"]["text_tag_list"]]
    assert card.locator(".card-tag").all_inner_texts() == tags == ["prod"]  # its cluster
    chart = card.locator("svg.chart")
    assert chart.locator("path.chart-line").count() == len(series) >= 1
    assert chart.locator("line.chart-mark").count() == len(spec["markLine"])
    for name in series:
        assert name in (chart.text_content() or "")  # the legend
    button = card.locator(".card-button", has_text=t("rca.button.diagnose", LANG))
    assert button.count() == 1 and button.is_enabled()


def test_clicking_a_button_shows_the_bots_toast(page: Any, sandbox: Sandbox) -> None:
    card, _ = rca_card(page, sandbox)
    card.locator(".card-button", has_text=t("rca.button.diagnose", LANG)).click()
    registered = "diagnose" in sandbox.registry.actions
    expected = t("toast.received" if registered else "toast.unknown_action", LANG)
    page.wait_for_selector(f"#toast:text-is('{expected}')", timeout=10_000)


def test_an_evidence_panel_opens_and_closes(page: Any, sandbox: Sandbox) -> None:
    card, _ = rca_card(page, sandbox)
    panel = card.locator("details.card-panel").first
    assert panel.evaluate("node => node.open") is False
    panel.locator("summary").click()
    assert panel.evaluate("node => node.open") is True
    assert panel.locator(".panel-body").inner_text().strip()


def test_a_private_question_gets_a_cited_answer(page: Any, sandbox: Sandbox) -> None:
    page.click("#chat-p2p")
    question = "How do I troubleshoot a pod in CrashLoopBackOff?"
    card = ask_for_card(page, sandbox, question, t("ask.title", LANG))
    assert page.locator("#timeline-group").is_hidden()
    assert card.evaluate("node => node.parentElement.id") == "timeline-p2p"
    text = card.inner_text()
    assert t("knowledge.answer.sources", LANG) in text and "[1]" in text
    sources = sandbox.services.knowledge.list_sources()
    assert any(Path(str(source)).name in text for source in sources)


def test_the_sidebar_shows_who_is_on_call(page: Any, sandbox: Sandbox) -> None:
    page.wait_for_selector("#rota-list li[data-team='payments']", timeout=10_000)
    shown = page.locator("#rota-list li[data-team='payments']").inner_text()
    assert shown.startswith("payments") and t("sandbox.page.you", LANG) in shown
    assert "Lin" in shown and "ou_sandbox_lin" not in shown  # people by name
    assert page.locator("#rota-title").inner_text() == t("sandbox.page.oncall", LANG)
