"""Repeated and concurrent clicks apply once; Reject records who and why; /audit lists it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.fix.conftest import APPROVER, FixEnv, card_text, find_button

OTHER_APPROVER = "ou_second_approver"


def _approve(plan_id: str) -> dict:
    return {"action": "approve_plan", "plan_id": plan_id}


def _settled(env: FixEnv, plan_id: str) -> None:
    env.bot.wait_for(lambda: env.record(plan_id).status in ("applied", "failed"), 20)


def test_a_retried_callback_applies_once(env: FixEnv) -> None:
    env.say("/fix nginx")
    card, plan_id = env.wait_approval()
    for _ in range(3):  # Feishu redelivers the same event id
        env.click(_approve(plan_id), card, event_id="ev_same_click")
    _settled(env, plan_id)
    assert len(env.applies()) == 1
    assert [e.result for e in env.audit() if e.action == "approve"] == ["approved"]


def test_a_double_click_applies_once_and_says_so(env: FixEnv) -> None:
    env.say("/fix nginx")
    card, plan_id = env.wait_approval()
    env.click(_approve(plan_id), card)
    _settled(env, plan_id)
    env.click(_approve(plan_id), card)
    notice = env.wait_message(lambda m: "already handled" in card_text(m.content))
    assert "applied" in card_text(notice.content)
    assert len(env.applies()) == 1
    results = sorted(e.result for e in env.audit() if e.action == "approve")
    assert results == ["already_applied", "approved"]


def test_two_concurrent_clicks_apply_once(env: FixEnv) -> None:
    env.say("/fix nginx")
    card, plan_id = env.wait_approval()
    with ThreadPoolExecutor(2) as pool:  # two approvers (or two replicas) at once
        list(
            pool.map(
                lambda i: env.click(_approve(plan_id), card, event_id=f"ev_concurrent_{i}"),
                range(2),
            )
        )
    _settled(env, plan_id)
    env.bot.wait_for(lambda: len([e for e in env.audit() if e.action == "approve"]) == 2)
    results = sorted(e.result for e in env.audit() if e.action == "approve")
    assert results[0].startswith("already_") and results[1] == "approved"
    assert len(env.applies()) == 1
    dry_runs = [r for r in env.sim.requests_to("PATCH") if r.query.get("dryRun")]
    assert len(dry_runs) == 1


def test_reject_records_who_and_why_and_then_audit_lists_it(env: FixEnv) -> None:
    env.say("/fix nginx")
    card, plan_id = env.wait_approval()
    env.click(
        {"action": "reject_plan", "plan_id": plan_id},
        card,
        form_value={"reason": "wait for the release window"},
    )

    def rejected() -> dict | None:
        content = next(m for m in env.messages() if m.message_id == card.message_id).content
        return content if "Rejected" in content["header"]["title"]["content"] else None

    content = env.bot.wait_for(rejected)
    text = card_text(content)
    assert f"<at id={APPROVER}></at>" in text and "wait for the release window" in text
    assert not find_button(content, "approve_plan")
    record = env.record(plan_id)
    assert record.status == "rejected" and record.decided_by == APPROVER
    entry = next(e for e in env.audit() if e.action == "reject")
    assert (entry.actor, entry.result, entry.detail) == (
        APPROVER,
        "rejected",
        "wait for the release window",
    )
    assert entry.action_id == plan_id and entry.payload_hash == record.payload_hash
    # A late Approve on the rejected plan changes nothing.
    env.click(_approve(plan_id), card)
    env.wait_message(lambda m: "already handled" in card_text(m.content))
    assert env.sim.requests_to("PATCH") == []

    env.say("/audit 5")  # the entries of this chat (the plan's)
    audit = env.wait_message(lambda m: "Audit log" in card_text(m.content))
    rows = next(e for e in audit.content["body"]["elements"] if e["tag"] == "table")["rows"]
    assert [r["action"] for r in rows[:3]] == ["approve", "reject", "propose_fix"]
    assert rows[1]["actor"] == APPROVER and rows[1]["result"] == "rejected"
    assert all(plan_id in r["detail"] for r in rows[:3])


def test_audit_arguments(env: FixEnv) -> None:
    env.say("/audit many", chat="oc_audit_bad")
    usage = env.wait_message(lambda m: True, chat="oc_audit_bad")
    assert usage.content["header"]["template"] == "orange"
    assert "1 to 50" in card_text(usage.content)
    env.say("/audit", chat="oc_audit_empty")
    empty = env.wait_message(lambda m: True, chat="oc_audit_empty")
    assert "Nothing recorded yet" in card_text(empty.content)
