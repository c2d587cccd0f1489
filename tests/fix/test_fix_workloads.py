"""Fixes beyond Deployments, in chat: /fix sts/<name> and ds/<name> → approval card with
the diff → Approve → dry run + PATCH through the single executor → rollout watch → Undo
(the saved template put back) → Approve."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from cluster.plans import FixPlan
from cluster.plans.rollback import bare_template
from sandbox.cluster import ImageBehaviour, KubeSimulator, World, step
from sandbox.cluster.manifests import container, node
from tests.fix.conftest import FixEnv, card_text, find_button

PATHS = {
    "StatefulSet": "/apis/apps/v1/namespaces/default/statefulsets/cache",
    "DaemonSet": "/apis/apps/v1/namespaces/default/daemonsets/agent",
}
PLURAL = {"StatefulSet": "statefulsets", "DaemonSet": "daemonsets"}


def _owner(kind: str, name: str, **spec: Any) -> dict[str, Any]:
    # 500m CPU requested, about 5m used: the requests rule proposes 10m.
    app = container(name, "ops/app:1", port=6379, requests={"cpu": "500m", "memory": "64Mi"})
    return {
        "kind": kind,
        "apiVersion": "apps/v1",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [app]}},
            **spec,
        },
    }


@pytest.fixture
def sim() -> Iterator[KubeSimulator]:
    world = World(images={"ops/app:1": ImageBehaviour(ports=frozenset({6379}), start_seconds=1)})
    world.add(node("node-1", cpu="32", memory="64Gi", ip="10.0.0.11"))
    world.add(node("node-2", cpu="32", memory="64Gi", ip="10.0.0.12"))
    world.add(_owner("StatefulSet", "cache", replicas=2, serviceName="cache"))
    world.add(_owner("DaemonSet", "agent"))
    for _ in range(10):
        step(world)
    with KubeSimulator(world, auto_tick=0.05) as running:
        yield running


def _live(env: FixEnv, kind: str, name: str) -> dict[str, Any]:
    with env.sim.world.lock:
        found = env.sim.world.get(PLURAL[kind], "default", name)
    assert found is not None
    return json.loads(json.dumps(found))


def _applies(env: FixEnv, kind: str) -> list[Any]:
    return [r for r in env.sim.requests_to("PATCH", PATHS[kind] + "$") if not r.query.get("dryRun")]


@pytest.mark.parametrize(
    "kind, name, alias", [("StatefulSet", "cache", "sts"), ("DaemonSet", "agent", "ds")]
)
def test_fix_approve_rollout_and_undo(env: FixEnv, kind: str, name: str, alias: str) -> None:
    original = _live(env, kind, name)
    env.say(f"/fix {alias}/{name}")
    card, plan_id = env.wait_approval()
    text = card_text(card.content)
    assert f"default/{kind}/{name}" in text
    assert f"spec.template.spec.containers[{name}].resources.requests.cpu: 500m → 10m" in text
    stored = FixPlan.from_dict(json.loads(env.record(plan_id).payload))
    assert stored.target.kind == kind and _applies(env, kind) == []

    env.click({"action": "approve_plan", "plan_id": plan_id}, card)
    done = env.bot.wait_for(
        lambda: find_button(env.messages()[-1].content, "undo_plan") and env.messages()[-1], 30
    )
    assert done.content["header"]["template"] == "green"
    dry, real = [r for r in env.sim.requests_to("PATCH", PATHS[kind] + "$")]
    assert dry.query.get("dryRun") == ["All"] and real.query.get("dryRun") is None
    changed = _live(env, kind, name)
    [app] = changed["spec"]["template"]["spec"]["containers"]
    assert app["resources"]["requests"]["cpu"] == "10m"
    # The rollout replaced every pod: all run the new template.
    with env.sim.world.lock:
        pods = [
            p
            for p in env.sim.world.items("pods", "default")
            if p["metadata"]["name"].startswith(name)
        ]
    assert pods and all(
        p["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "10m" for p in pods
    )

    env.click({"action": "undo_plan", "plan_id": plan_id}, done)  # Undo needs an approver
    undo_card, undo_id = env.wait_approval(exclude={plan_id})
    assert "Undo" in undo_card.content["header"]["title"]["content"]
    assert "500m" in card_text(undo_card.content) and len(_applies(env, kind)) == 1
    env.click({"action": "approve_plan", "plan_id": undo_id}, undo_card)
    env.bot.wait_for(lambda: env.record(undo_id).status == "applied", 30)
    assert json.loads(env.record(undo_id).result)["outcome"] == "ready"
    restored = _live(env, kind, name)
    assert bare_template(restored["spec"]["template"]) == bare_template(
        original["spec"]["template"]
    )
    assert len(_applies(env, kind)) == 2


def test_plans_from_untrusted_json_cannot_restore_a_template() -> None:
    from cluster.errors import PlanError
    from cluster.plans import parse_operation

    smuggled = {"op": "restore_template", "template": {"spec": {"containers": []}}}
    with pytest.raises(PlanError):
        parse_operation(smuggled)
    assert parse_operation(smuggled, trusted=True).op == "restore_template"
