"""Plans beyond workloads, in chat: /fix cj/<name> offers the analyzer's one obvious plan
(resume), Approve applies it through the executor, Undo suspends again; a Node plan is
cluster-wide, so an approver of one namespace may not approve it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.cluster import KubeSimulator, World, step
from sandbox.cluster.broken import BROKEN_IMAGES
from sandbox.cluster.manifests import container, deployment, node
from sandbox.cluster.nodes import cordon
from tests.fix.conftest import FixEnv, card_text, find_button

CRON_PATH = "/apis/batch/v1/namespaces/default/cronjobs/report"


@pytest.fixture
def sim() -> Iterator[KubeSimulator]:
    world = World(images=dict(BROKEN_IMAGES))
    world.add(node("node-1", cpu="2", memory="4Gi"))
    world.add(node("node-2", cpu="16", memory="32Gi", ip="10.0.0.12"))
    cordon(world, "node-2")
    big = container("app", "shop/web:1", port=8080, requests={"cpu": "8", "memory": "1Gi"})
    world.add(deployment("default", "big", [big]))  # fits on node-2 only: it waits
    job = {
        "restartPolicy": "Never",
        "containers": [container("main", "shop/web:1", port=None)],
    }
    world.add(
        {
            "kind": "CronJob",
            "apiVersion": "batch/v1",
            "metadata": {"name": "report", "namespace": "default"},
            "spec": {
                "schedule": "*/5 * * * *",
                "suspend": True,
                "jobTemplate": {"spec": {"backoffLimit": 1, "template": {"spec": job}}},
            },
        }
    )
    for _ in range(20):
        step(world)
    with KubeSimulator(world, auto_tick=0.05) as running:
        yield running


def _suspended(env: FixEnv) -> bool:
    with env.sim.world.lock:
        found = env.sim.world.get("cronjobs", "default", "report")
    assert found is not None
    return bool(found["spec"]["suspend"])


def test_resume_a_suspended_cron_job_from_chat_then_undo(env: FixEnv) -> None:
    env.say("/fix cj/report")
    card, plan_id = env.wait_approval()
    assert "spec.suspend: true → false" in card_text(card.content)
    assert _suspended(env) and env.sim.requests_to("PATCH", CRON_PATH + "$") == []

    env.click({"action": "approve_plan", "plan_id": plan_id}, card)
    env.bot.wait_for(lambda: env.record(plan_id).status == "applied", 30)
    assert not _suspended(env)
    dry, real = env.sim.requests_to("PATCH", CRON_PATH + "$")
    assert dry.query.get("dryRun") == ["All"] and real.query.get("dryRun") is None
    done = env.bot.wait_for(
        lambda: find_button(env.messages()[-1].content, "undo_plan") and env.messages()[-1], 30
    )

    env.click({"action": "undo_plan", "plan_id": plan_id}, done)
    undo_card, undo_id = env.wait_approval(exclude={plan_id})
    env.click({"action": "approve_plan", "plan_id": undo_id}, undo_card)
    env.bot.wait_for(lambda: env.record(undo_id).status == "applied", 30)
    assert _suspended(env)


def test_a_node_plan_needs_a_cluster_wide_approver(env: FixEnv) -> None:
    env.say("/fix node/node-2 -n default")
    card, plan_id = env.wait_approval()
    assert "node-2" in card_text(card.content)
    env.click({"action": "approve_plan", "plan_id": plan_id}, card)  # approver of "default"
    env.bot.wait_for(lambda: ("approve", "unauthorised") in _audited(env), 15)
    assert env.record(plan_id).status == "pending"
    with env.sim.world.lock:
        assert env.sim.world.get("nodes", "", "node-2")["spec"].get("unschedulable") is True


def _audited(env: FixEnv) -> set[tuple[str, str]]:
    return {(e.action, e.result) for e in env.audit()}
