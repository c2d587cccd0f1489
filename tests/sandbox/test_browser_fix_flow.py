"""Diagnose → Approve → rollout, clicked in the browser against the simulated cluster."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from messages import t
from sandbox import Sandbox
from tests.sandbox.conftest import LANG, wait_for
from tests.sandbox.test_browser import rca_card


def buttons(element: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(text, callback value) of every button in a card or element, depth first."""
    if isinstance(element, dict):
        if element.get("tag") == "button":
            for behaviour in element.get("behaviors", []):
                if behaviour.get("type") == "callback":
                    yield element["text"]["content"], behaviour["value"]
        for child in element.values():
            yield from buttons(child)
    elif isinstance(element, list):
        for child in element:
            yield from buttons(child)


def limits(sandbox: Sandbox, namespace: str, name: str) -> Any:
    deployment = sandbox.simulator.world.get("deployments", namespace, name)
    return deployment["spec"]["template"]["spec"]["containers"][0]["resources"]


def test_diagnose_approve_and_see_the_rollout(page: Any, sandbox: Sandbox) -> None:
    diagnose_approve_undo(page, sandbox, LANG)


def diagnose_approve_undo(page: Any, sandbox: Sandbox, lang: str) -> None:
    """/rca, click Diagnose, approve the proposed plan, see the rollout, Undo it (approved
    too) and see the old spec back: the path the sandbox walk (test_browser_walk) reuses."""
    actions = sandbox.registry.actions
    assert {"diagnose", "approve_plan"} <= set(actions), sorted(actions)
    card, content = rca_card(page, sandbox, lang)
    value = next(v for _, v in buttons(content) if v.get("action") == "diagnose")
    before = limits(sandbox, value["namespace"], value["deployment"])
    seen = {m.message_id for m in sandbox.platform.ledger.sent()}
    card.locator(".card-button", has_text=t("rca.button.diagnose", lang)).click()

    def approvable() -> list[Any]:
        return [
            m
            for m in sandbox.platform.ledger.sent()
            if (m.message_id not in seen or m.versions)
            and any(v.get("action") == "approve_plan" for _, v in buttons(m.content))
        ]

    proposal = wait_for(approvable, timeout=30)[0]
    text = next(x for x, v in buttons(proposal.content) if v.get("action") == "approve_plan")
    versions = len(proposal.versions)
    holder = page.locator(f".msg[data-id='{proposal.message_id}']")
    holder.locator(".card-button", has_text=text).click()
    if page.locator("#modal").is_visible():
        page.click("#modal-ok")
    wait_for(lambda: len(proposal.versions) > versions, timeout=60)

    def rolled_out() -> bool:  # the outcome card carries the Undo button
        return any(v.get("action") == "undo_plan" for _, v in buttons(proposal.content))

    wait_for(rolled_out, timeout=90)
    page.wait_for_selector(
        f".msg[data-id='{proposal.message_id}'][data-version='{len(proposal.versions)}']"
    )
    assert limits(sandbox, value["namespace"], value["deployment"]) != before

    # Undo is itself approval-gated: click Undo, approve the undo card, the old spec is back.
    undo_text = next(x for x, v in buttons(proposal.content) if v.get("action") == "undo_plan")
    seen = {m.message_id for m in sandbox.platform.ledger.sent()}
    page.locator(f".msg[data-id='{proposal.message_id}'] .card-button", has_text=undo_text).click()
    if page.locator("#modal").is_visible():
        page.click("#modal-ok")
    undo_card = wait_for(
        lambda: [
            m
            for m in sandbox.platform.ledger.sent()
            if m.message_id not in seen
            and any(v.get("action") == "approve_plan" for _, v in buttons(m.content))
        ],
        timeout=30,
    )[0]
    page.wait_for_selector(f".msg[data-id='{undo_card.message_id}']")
    page.locator(f".msg[data-id='{undo_card.message_id}'] .card-button", has_text=text).click()
    if page.locator("#modal").is_visible():
        page.click("#modal-ok")
    wait_for(lambda: limits(sandbox, value["namespace"], value["deployment"]) == before, timeout=90)
