"""An apply cut short by a crash: the leader's housekeeping marks the plan interrupted,
says so on its card and in the audit log, and the plan can never be approved again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from bot.app.capabilities import push_capabilities
from bot.state.engine import utcnow
from bot.state.models import PendingAction
from tests.fix.conftest import APPROVER, FixEnv, card_text, find_button


def _left_applying(env: FixEnv, plan_id: str, approved_ago: timedelta, status: str) -> None:
    """What a process that approved ``plan_id`` ``approved_ago`` and then died leaves."""
    with env.store.engine.begin() as conn:
        conn.execute(
            update(PendingAction)
            .where(PendingAction.id == plan_id)
            .values(status=status, decided_by=APPROVER, decided_at=utcnow() - approved_ago)
        )


def _card(env: FixEnv, message_id: str) -> dict[str, Any]:
    return next(m for m in env.messages() if m.message_id == message_id).content


def test_a_stale_apply_becomes_interrupted_and_cannot_be_approved_again(
    make_env: Callable[..., FixEnv],
) -> None:
    env = make_env(*push_capabilities(), scheduler={"housekeeping_seconds": 1})
    plans: list[tuple[Any, str]] = []
    for _ in range(3):
        env.say("/fix nginx")
        plans.append(env.wait_approval(exclude=[plan_id for _, plan_id in plans]))
    (stale_card, stale), (_, fresh), (_, applied) = plans
    _left_applying(env, fresh, timedelta(minutes=1), "applying")  # a live apply
    _left_applying(env, applied, timedelta(minutes=30), "applied")
    _left_applying(env, stale, timedelta(minutes=20), "applying")

    def patched() -> dict[str, Any] | None:
        content = _card(env, stale_card.message_id)
        return content if "Outcome unknown" in content["header"]["title"]["content"] else None

    content = env.bot.wait_for(patched, 15)
    text = card_text(content)
    assert f"<at id={APPROVER}></at>" in text and "will not run again" in text
    assert not find_button(content, "approve_plan")
    record = env.record(stale)
    assert (record.status, record.decided_by) == ("interrupted", APPROVER)
    entries = [e for e in env.audit() if e.result == "interrupted"]
    assert [(e.actor, e.action, e.action_id) for e in entries] == [("housekeeping", "apply", stale)]
    assert entries[0].payload_hash == record.payload_hash
    assert "nginx" in entries[0].detail

    env.click({"action": "approve_plan", "plan_id": stale}, stale_card)
    notice = env.wait_message(lambda m: "already handled" in card_text(m.content))
    assert "interrupted, outcome unknown" in card_text(notice.content)
    assert ("approve", "already_interrupted") in {(e.action, e.result) for e in env.audit()}
    assert env.record(fresh).status == "applying"
    assert env.record(applied).status == "applied"
    assert env.applies() == []
