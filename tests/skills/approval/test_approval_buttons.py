"""Approve and Reject in-process: whoever may not decide a plan is refused by name, the
plan stays pending, the refusal is audited, and the cluster is never touched (these
chats have no cluster at all: reaching the handler would show a Kubernetes error)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.state import ActionRecord
from messages import t
from tests.skills.chat import FakeChat, card_text

APPROVER, PROPOSER, STRANGER = "ou_approver", "ou_proposer", "ou_stranger"


def _config(**approvals: Any) -> dict[str, Any]:
    approvers = [
        {"open_id": APPROVER, "namespaces": ["default"]},
        {"open_id": PROPOSER, "namespaces": ["default"]},
    ]
    return {"approvals": {"approvers": approvers, **approvals}}


async def _plan(chat: FakeChat, namespace: str = "default") -> ActionRecord:
    return await chat.services.store.approvals.propose(
        kind="fix",
        payload="{}",
        payload_hash="h" * 64,
        namespace=namespace,
        target="nginx",
        chat_id=chat.chat_id,
        proposed_by=PROPOSER,
        ttl=timedelta(minutes=30),
    )


async def _audited(chat: FakeChat, actor: str) -> set[tuple[str, str]]:
    entries = await chat.services.store.audit.recent(50)
    return {(e.action, e.result) for e in entries if e.actor == actor}


@pytest.mark.parametrize("action", ["approve_plan", "reject_plan"])
async def test_a_stranger_is_refused_and_the_plan_stays_pending(make_chat, action: str) -> None:
    chat = make_chat(config=_config())
    plan = await _plan(chat)
    card = chat.card()
    await chat.press(
        {"action": action, "plan_id": plan.id}, user=STRANGER, message_id=card.message_id
    )
    plan_card, refusal = chat.sent()
    assert plan_card.message_id == card.message_id and plan_card.versions == []  # not patched
    text = card_text(refusal)
    assert f"<at id={STRANGER}></at>" in text
    assert "is not an approver for namespace default; nothing was changed." in text
    assert refusal.content["header"]["title"]["content"] == t("fix.refused.title", "en-US")
    record = await chat.services.store.approvals.get(plan.id)
    assert record is not None and record.status == "pending" and record.decided_by is None
    verb = action.removesuffix("_plan")
    assert await _audited(chat, STRANGER) == {(verb, "unauthorised")}
    metric = chat.services.metrics.approvals.labels(outcome=f"{verb}:unauthorised")
    assert metric._value.get() == 1.0


async def test_an_approver_of_another_namespace_is_refused(make_chat) -> None:
    chat = make_chat(config=_config())
    plan = await _plan(chat, namespace="payments")
    await chat.press({"action": "approve_plan", "plan_id": plan.id}, user=APPROVER)
    text = card_text(chat.sent()[-1])
    assert "is not an approver for namespace payments" in text
    assert (await chat.services.store.approvals.get(plan.id)).status == "pending"


async def test_a_click_from_another_chat_is_refused(make_chat) -> None:
    chat = make_chat(config=_config())
    plan = await _plan(chat)
    elsewhere = chat.elsewhere()
    await elsewhere.press({"action": "approve_plan", "plan_id": plan.id}, user=APPROVER)
    text = card_text(elsewhere.sent()[-1])
    assert f"Plan {plan.id} can only be decided in the chat where it was proposed" in text
    assert (await chat.services.store.approvals.get(plan.id)).status == "pending"
    assert await _audited(chat, APPROVER) == {("approve", "other_chat")}


async def test_with_four_eyes_the_proposer_may_not_approve_but_may_reject(make_chat) -> None:
    chat = make_chat(config=_config(require_second_person=True))
    plan = await _plan(chat)
    await chat.press({"action": "approve_plan", "plan_id": plan.id}, user=PROPOSER)
    refusal = chat.sent()[-1]
    assert "four-eyes" in card_text(refusal)
    assert (await chat.services.store.approvals.get(plan.id)).status == "pending"
    assert await _audited(chat, PROPOSER) == {("approve", "own_plan")}


async def test_without_four_eyes_the_proposers_approval_reaches_the_handler(make_chat) -> None:
    chat = make_chat(config=_config())
    plan = await _plan(chat)
    await chat.press({"action": "approve_plan", "plan_id": plan.id}, user=PROPOSER)
    # Admitted: the handler needs the cluster, which this chat lacks, and says so.
    error = chat.sent()[-1]
    assert error.content["header"]["template"] == "carmine"
    assert "Kubernetes" in card_text(error)
    assert (await chat.services.store.approvals.get(plan.id)).status == "pending"


async def test_a_button_nobody_registered_runs_nothing(chat: FakeChat) -> None:
    await chat.press({"action": "no_such_action"})
    assert [m.versions for m in chat.sent()] == [[]]  # only the clicked card, untouched
