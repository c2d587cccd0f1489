"""Every way an approval can end without a change: each gives a clear card, and the
simulated API server sees no applying PATCH."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from bot.state.engine import utcnow
from bot.state.models import PendingAction
from tests.fix.conftest import APPROVER, STRANGER, FixEnv, card_text, find_button


def _proposed(env: FixEnv) -> tuple[object, str]:
    env.say("/fix nginx")
    return env.wait_approval()


def _latest_card(env: FixEnv, message_id: str) -> dict:
    return next(m for m in env.messages() if m.message_id == message_id).content


def _wait_patched(env: FixEnv, message_id: str, colour: str) -> dict:
    def done() -> dict | None:
        content = _latest_card(env, message_id)
        return content if content["header"]["template"] == colour else None

    found: dict = env.bot.wait_for(done, 15)
    return found


def _unchanged(env: FixEnv, resource_version: str) -> None:
    live = env.nginx()
    probe = live["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
    assert probe["httpGet"]["path"] == "/health"
    assert env.applies() == []
    assert live["metadata"]["resourceVersion"] == resource_version


def test_an_unauthorised_clicker_changes_nothing(env: FixEnv) -> None:
    card, plan_id = _proposed(env)
    before = env.nginx()["metadata"]["resourceVersion"]
    env.click({"action": "approve_plan", "plan_id": plan_id}, card, operator=STRANGER)
    refusal = env.wait_message(lambda m: "not an approver" in card_text(m.content))
    assert f"<at id={STRANGER}></at>" in card_text(refusal.content)
    env.click({"action": "reject_plan", "plan_id": plan_id}, card, operator=STRANGER)
    env.bot.wait_for(
        lambda: sum("not an approver" in card_text(m.content) for m in env.messages()) == 2
    )
    assert env.record(plan_id).status == "pending"  # still open for a real approver
    assert find_button(_latest_card(env, card.message_id), "approve_plan")
    entries = [e for e in env.audit() if e.actor == STRANGER]
    assert {(e.action, e.result) for e in entries} == {
        ("approve", "unauthorised"),
        ("reject", "unauthorised"),
    }
    metrics = httpx.get(f"{env.bot.url}/metrics").text
    assert 'cloudops_approvals_total{outcome="approve:unauthorised"} 1.0' in metrics
    _unchanged(env, before)


def test_a_card_clicked_in_another_chat_is_refused(env: FixEnv) -> None:
    card, plan_id = _proposed(env)
    env.bot.sender.click(
        {"action": "approve_plan", "plan_id": plan_id},
        message_id=card.message_id,
        chat_id="oc_elsewhere",
        operator=APPROVER,
    )
    env.wait_message(
        lambda m: "only be decided in the chat" in card_text(m.content), "oc_elsewhere"
    )
    assert env.record(plan_id).status == "pending"
    assert ("approve", "other_chat") in {(e.action, e.result) for e in env.audit()}
    assert env.applies() == []


def test_an_approver_for_another_namespace_is_refused(env: FixEnv) -> None:
    card, plan_id = _proposed(env)
    env.click({"action": "approve_plan", "plan_id": plan_id}, card, operator="ou_payments_lead")
    env.wait_message(lambda m: "not an approver" in card_text(m.content))
    assert env.record(plan_id).status == "pending"
    assert env.applies() == []


def test_an_expired_plan_is_not_applied(env: FixEnv) -> None:
    card, plan_id = _proposed(env)
    before = env.nginx()["metadata"]["resourceVersion"]
    with env.store.engine.begin() as db:
        db.execute(
            update(PendingAction)
            .where(PendingAction.id == plan_id)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    env.click({"action": "approve_plan", "plan_id": plan_id}, card)
    content = _wait_patched(env, card.message_id, "carmine")
    assert "has expired" in card_text(content) and not find_button(content, "approve_plan")
    assert env.record(plan_id).status == "expired"
    assert ("approve", "expired") in {(e.action, e.result) for e in env.audit()}
    _unchanged(env, before)


def test_a_deployment_changed_since_the_plan_is_diagnosed_again(env: FixEnv) -> None:
    card, plan_id = _proposed(env)
    world = env.sim.world
    with world.lock:  # someone edits the deployment between proposal and approval
        nginx = world.get("deployments", "default", "nginx")
        assert nginx is not None
        world.update(nginx, lambda d: d["metadata"].setdefault("labels", {}).update(team="web"))
    env.click({"action": "approve_plan", "plan_id": plan_id}, card)
    content = _wait_patched(env, card.message_id, "carmine")
    assert "changed since the plan was made" in card_text(content)
    fresh, fresh_id = env.wait_approval(exclude={plan_id})
    assert fresh.message_id != card.message_id
    fresh_rv = json.loads(env.record(fresh_id).payload)["target"]["resource_version"]
    assert fresh_rv == env.nginx()["metadata"]["resourceVersion"]  # pinned to the new state
    assert env.sim.requests_to("PATCH") == []  # not even a dry run
    assert env.record(plan_id).status == "failed"
    assert ("apply", "conflict") in {(e.action, e.result) for e in env.audit()}


def test_a_dry_run_refusal_changes_nothing(env: FixEnv) -> None:
    card, plan_id = _proposed(env)
    before = env.nginx()["metadata"]["resourceVersion"]
    env.sim.inject_fault(r"/deployments/nginx$", method="PATCH", status=422, times=1)
    env.click({"action": "approve_plan", "plan_id": plan_id}, card)
    content = _wait_patched(env, card.message_id, "carmine")
    assert "dry run refused" in card_text(content)
    (only,) = env.sim.requests_to("PATCH")
    assert only.query.get("dryRun") == ["All"]
    assert env.record(plan_id).status == "failed"
    assert ("apply", "dry_run_rejected") in {(e.action, e.result) for e in env.audit()}
    _unchanged(env, before)


@pytest.mark.parametrize(
    "fault, words",
    [
        pytest.param({"status": 500}, "Kubernetes API failed", id="500"),
        pytest.param({"hang": 2.5}, "did not answer", id="hang"),
    ],
)
def test_an_api_server_failure_changes_nothing(
    make_env: Callable[..., FixEnv], fault: dict, words: str
) -> None:
    env = make_env(request_timeout=1)  # the hang outlasts it
    card, plan_id = _proposed(env)
    before = env.nginx()["metadata"]["resourceVersion"]
    injected = env.sim.inject_fault(r"/deployments/nginx$", method="PATCH", **fault)
    env.click({"action": "approve_plan", "plan_id": plan_id}, card)
    content = _wait_patched(env, card.message_id, "carmine")
    assert words in card_text(content)
    assert content["header"]["title"]["content"] == "Nothing changed: default/nginx"
    assert injected.hits == 1
    assert env.record(plan_id).status == "failed"
    _unchanged(env, before)


def test_a_tampered_stored_plan_is_refused(env: FixEnv) -> None:
    card, plan_id = _proposed(env)
    before = env.nginx()["metadata"]["resourceVersion"]
    payload = json.loads(env.record(plan_id).payload)
    payload["operations"].append({"op": "scale_replicas", "replicas": 5})
    with env.store.engine.begin() as db:
        db.execute(
            update(PendingAction)
            .where(PendingAction.id == plan_id)
            .values(payload=json.dumps(payload))
        )
    env.click({"action": "approve_plan", "plan_id": plan_id}, card)
    content = _wait_patched(env, card.message_id, "carmine")
    assert "does not match its checksum" in card_text(content)
    assert ("apply", "tampered") in {(e.action, e.result) for e in env.audit()}
    assert env.sim.requests_to("PATCH") == []
    _unchanged(env, before)
    assert env.record(plan_id).decided_by == APPROVER
