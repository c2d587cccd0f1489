"""Audit point 2: Undo needs an approver for the plan's namespace, in the plan's chat.
Anyone else's click is refused and audited, and leaves the original chat its Undo."""

from __future__ import annotations

from tests.fix.conftest import APPROVER, CHAT, STRANGER, FixEnv, card_text, find_button


def _applied(env: FixEnv) -> tuple[object, str]:
    env.say("/fix nginx")
    card, plan_id = env.wait_approval()
    env.click({"action": "approve_plan", "plan_id": plan_id}, card)
    done = env.bot.wait_for(
        lambda: next((m for m in env.messages() if find_button(m.content, "undo_plan")), None),
        20,
    )
    return done, plan_id


def test_undo_from_a_non_approver_or_another_chat_is_refused_and_the_chat_keeps_undo(
    env: FixEnv,
) -> None:
    done, plan_id = _applied(env)
    undo = {"action": "undo_plan", "plan_id": plan_id}
    env.click(undo, done, operator=STRANGER)
    refusal = env.wait_message(lambda m: "not an approver" in card_text(m.content))
    assert f"<at id={STRANGER}></at>" in card_text(refusal.content)
    env.bot.sender.click(
        undo, message_id=done.message_id, chat_id="oc_elsewhere", operator=APPROVER
    )
    env.wait_message(
        lambda m: "only be decided in the chat" in card_text(m.content), "oc_elsewhere"
    )
    assert env.approval_cards() == [] and env.approval_cards("oc_elsewhere") == []
    refused = {(e.actor, e.chat_id, e.action, e.result) for e in env.audit()}
    assert (STRANGER, CHAT, "undo", "unauthorised") in refused
    assert (APPROVER, "oc_elsewhere", "undo", "other_chat") in refused

    env.click(undo, done)  # the real approver, in the plan's chat
    undo_card, undo_id = env.wait_approval(exclude={plan_id})
    assert undo_id != plan_id and "Undo" in undo_card.content["header"]["title"]["content"]
    assert env.record(undo_id).chat_id == CHAT
    assert not any("already proposed" in card_text(m.content) for m in env.messages())
    assert len(env.applies()) == 1  # the undo waits for its own approval
