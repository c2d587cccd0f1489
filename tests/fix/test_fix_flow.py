"""/fix → approval card with diff → Approve → dry run + PATCH → outcome → Undo → Approve."""

from __future__ import annotations

import json

from cluster.plans import FixPlan
from cluster.plans.rollback import bare_template
from tests.fix.conftest import APPROVER, DEPLOYMENT_PATH, FixEnv, card_text, find_button

# What the three nginx rules ask for, as the API server must receive it (one atomic patch).
NGINX_FIX = {
    "spec": {
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "readinessProbe": {
                            "httpGet": {"path": "/", "port": 80},
                            "periodSeconds": 10,
                            "failureThreshold": 3,
                        },
                        "resources": {"requests": {"cpu": "10m", "memory": "32Mi"}},
                    }
                ]
            }
        }
    }
}


def _probe(deployment: dict) -> dict:
    return deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]


def test_fix_approve_apply_then_undo(env: FixEnv) -> None:
    original = env.nginx()
    env.say("/fix nginx")
    card, plan_id = env.wait_approval()
    text = card_text(card.content)
    assert "readinessProbe.httpGet.path: /health → /" in text
    assert "readinessProbe.periodSeconds: 1 → 10" in text
    assert "resources.requests.memory: 512Mi → 32Mi" in text
    label, value = find_button(card.content, "approve_plan") or ("", {})
    assert label == "Approve" and value == {"action": "approve_plan", "plan_id": plan_id}
    assert find_button(card.content, "reject_plan") == (
        "Reject",
        {"action": "reject_plan", "plan_id": plan_id},
    )

    # The stored plan is pinned to the deployment as it was, with its hash.
    record = env.record(plan_id)
    stored = FixPlan.from_dict(json.loads(record.payload))
    assert record.status == "pending" and record.message_id == card.message_id
    assert stored.content_hash == record.payload_hash
    assert stored.target.resource_version == original["metadata"]["resourceVersion"]
    assert env.applies() == []  # proposing changes nothing

    env.click({"action": "approve_plan", "plan_id": plan_id}, card)
    done = env.bot.wait_for(
        lambda: find_button(env.messages()[-1].content, "undo_plan") and env.messages()[-1], 20
    )
    assert done.message_id == card.message_id  # the clicked card itself was patched
    headers = [v["header"]["template"] for v in [*done.versions, done.content]]
    assert headers == ["wathet", "orange", "wathet", "green"]  # working, plan, applying, done
    final = card_text(done.content)
    assert done.content["header"]["template"] == "green"
    assert "rolled out" in final and f"<at id={APPROVER}></at>" in final
    assert "readinessProbe.httpGet.path: /health → /" in final

    dry, real = env.sim.requests_to("PATCH", DEPLOYMENT_PATH + "$")
    pinned = {**NGINX_FIX, "metadata": {"resourceVersion": stored.target.resource_version}}
    assert dry.query.get("dryRun") == ["All"] and real.query.get("dryRun") is None
    assert dry.body == pinned and real.body == pinned
    assert dry.content_type == "application/strategic-merge-patch+json"
    live = env.nginx()
    assert _probe(live)["httpGet"]["path"] == "/" and live["status"]["readyReplicas"] == 2
    applied = env.record(plan_id)
    assert applied.status == "applied" and applied.decided_by == APPROVER
    assert json.loads(applied.result)["outcome"] == "ready"

    # Undo (an approver's, in the plan's chat) proposes a new plan that needs its own approval.
    env.click({"action": "undo_plan", "plan_id": plan_id}, done)
    undo_card, undo_id = env.wait_approval(exclude={plan_id})
    assert undo_id != plan_id and plan_id in card_text(undo_card.content)
    assert "Undo" in undo_card.content["header"]["title"]["content"]
    assert len(env.applies()) == 1  # nothing applied until approved
    env.click({"action": "approve_plan", "plan_id": undo_id}, undo_card)
    env.bot.wait_for(lambda: env.record(undo_id).status == "applied", 20)
    restored = env.nginx()
    assert bare_template(restored["spec"]["template"]) == bare_template(
        original["spec"]["template"]
    )
    assert restored["spec"]["replicas"] == original["spec"]["replicas"]
    assert len(env.applies()) == 2
    undo_record = env.record(undo_id)
    assert undo_record.kind == "undo" and undo_record.decided_by == APPROVER
