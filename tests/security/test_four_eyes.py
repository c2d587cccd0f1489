"""Four-eyes: with ``approvals.require_second_person`` the proposer of a plan may not
approve it (the refusal says so); another approver may. Off (the default), they may."""

from __future__ import annotations

from collections.abc import Callable

from tests.fix.conftest import APPROVER, CHAT, FixEnv, card_text

SECOND = "ou_second_approver"
APPROVERS = [
    {"open_id": APPROVER, "namespaces": ["default"]},
    {"open_id": SECOND, "namespaces": ["default"]},
]


def _own_plan(env: FixEnv) -> tuple[object, str]:
    env.bot.sender.say("/fix nginx", chat_id=CHAT, sender=APPROVER)
    card, plan_id = env.wait_approval()
    assert env.record(plan_id).proposed_by == APPROVER
    env.click({"action": "approve_plan", "plan_id": plan_id}, card, operator=APPROVER)
    return card, plan_id


def test_the_proposer_may_not_approve_their_own_plan(make_env: Callable[..., FixEnv]) -> None:
    env = make_env(approvals={"approvers": APPROVERS, "require_second_person": True})
    card, plan_id = _own_plan(env)
    refusal = env.wait_message(lambda m: "four-eyes" in card_text(m.content))
    assert f"<at id={APPROVER}></at>" in card_text(refusal.content)
    assert env.record(plan_id).status == "pending" and env.applies() == []
    assert ("approve", "own_plan") in {(e.action, e.result) for e in env.audit()}

    env.click({"action": "approve_plan", "plan_id": plan_id}, card, operator=SECOND)
    env.bot.wait_for(lambda: env.record(plan_id).status == "applied", 20)
    assert env.record(plan_id).decided_by == SECOND and len(env.applies()) == 1


def test_without_four_eyes_the_proposer_may_approve(make_env: Callable[..., FixEnv]) -> None:
    env = make_env(approvals={"approvers": APPROVERS})
    _, plan_id = _own_plan(env)
    env.bot.wait_for(lambda: env.record(plan_id).status == "applied", 20)
    assert env.record(plan_id).decided_by == APPROVER
