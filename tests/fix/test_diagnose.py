"""/diagnose, the proposing buttons (Propose fix, RCA's Diagnose, Apply scaling), event
lines for /rca, readiness, and a bot without a cluster."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from bot.app.cluster import ClusterService, cluster_capability
from cluster import ClusterAccess
from sandbox.feishu import FakePlatform
from sandbox.feishu.records import FakeMessage
from tests.conftest import start_bot
from tests.fix.conftest import (
    CHAT,
    FixEnv,
    buttons,
    card_text,
    config_file,
    find_button,
    fix_registry,
)


def _final(env: FixEnv, chat: str) -> dict:
    """The first bot message in ``chat`` once it is no longer the "working" card."""

    def done() -> dict | None:
        sent = env.messages(chat)
        return (
            sent[0].content if sent and sent[0].content["header"]["template"] != "wathet" else None
        )

    found: dict = env.bot.wait_for(done, 15)
    return found


def test_diagnose_a_namespace_lists_findings_worst_first(env: FixEnv) -> None:
    # The namespace card is a summary line per object (details behind a button each):
    # since /diagnose covers every kind, the evidence moved to the Details card.
    env.say("/diagnose -n default", chat="oc_diag")
    card = _final(env, "oc_diag")
    text = card_text(card)
    assert card["header"]["template"] == "red"
    assert "**Deployment/nginx** · The readiness probe of container nginx is failing" in text
    assert "**Service/nginx** · Service nginx has no ready endpoints" in text
    assert [value for _, value in buttons(card)] == [
        {"action": "diagnose_object", "namespace": "default", "kind": kind, "name": "nginx"}
        for kind in ("Deployment", "Service")
    ]
    env.click(buttons(card)[0][1], env.messages("oc_diag")[0])
    detail = env.wait_message(lambda m: find_button(m.content, "propose_fix"), "oc_diag").content
    text = card_text(detail)
    assert text.index("<font color='red'>Critical</font>") < text.index(
        "<font color='orange'>Warning</font>"
    )
    assert "Probing /health (port 80) failed" in text  # evidence, not just a title
    assert "CPU request 500m" in text and "memory request 512Mi" in text
    # The only button there proposes a fix (which itself needs approval).
    assert [value for _, value in buttons(detail)] == [
        {"action": "propose_fix", "namespace": "default", "deployment": "nginx"}
    ]
    holder = env.wait_message(lambda m: find_button(m.content, "propose_fix"), "oc_diag")
    env.click(buttons(detail)[0][1], holder)
    proposal, plan_id = env.wait_approval(chat="oc_diag")
    assert env.record(plan_id).target == "nginx"
    assert env.applies() == []


def test_diagnose_one_deployment_and_an_unknown_one(env: FixEnv) -> None:
    env.say("/diagnose nginx", chat="oc_one")
    card = _final(env, "oc_one")
    assert "Diagnosis: default/nginx" in card_text(card)
    assert "Replicas unavailable (0/2 available)" in card_text(card)
    env.say("/fix ghost -n default", chat="oc_ghost")
    missing = _final(env, "oc_ghost")
    assert missing["header"]["template"] == "carmine"
    assert "Kubernetes" in card_text(missing) and "not found" in card_text(missing)
    assert "Deployment default/ghost" in card_text(missing)
    env.say("/diagnose -n empty-ns", chat="oc_empty")
    assert "no deployments in namespace empty-ns" in card_text(_final(env, "oc_empty"))


def _anchor(env: FixEnv) -> FakeMessage:
    """Some bot card in the chat for a button to sit on (the fake needs a message id)."""
    env.say("/audit", chat=CHAT)
    return env.wait_message(lambda m: True)


def test_rca_diagnose_button_posts_the_fix_card(env: FixEnv) -> None:
    rca_card = _anchor(env)
    env.click({"action": "diagnose", "namespace": "default", "deployment": "nginx"}, rca_card)
    card, plan_id = env.wait_approval()
    assert "readinessProbe.httpGet.path: /health → /" in card_text(card.content)
    assert env.record(plan_id).kind == "fix"


def test_apply_scaling_is_bounded_and_needs_approval(env: FixEnv) -> None:
    origin = _anchor(env)
    value = {"action": "propose_scaling", "namespace": "default", "deployment": "nginx"}
    env.click({**value, "replicas": 50}, origin)  # above fixes.max_replicas (5)
    refusal = env.wait_message(lambda m: "Cannot build the scaling plan" in card_text(m.content))
    assert "[1, 5]" in card_text(refusal.content)
    env.click({**value, "replicas": 4}, origin)
    card, plan_id = env.wait_approval()
    assert "spec.replicas: 2 → 4" in card_text(card.content)
    assert env.nginx()["spec"]["replicas"] == 2  # not before approval
    env.click({"action": "approve_plan", "plan_id": plan_id}, card)
    env.bot.wait_for(lambda: env.record(plan_id).status == "applied", 20)
    assert env.nginx()["spec"]["replicas"] == 4
    (real,) = env.applies()
    assert real.body["spec"] == {"replicas": 4}


def test_event_lines_for_rca_and_readiness(env: FixEnv) -> None:
    cluster = env.bot.runtime.services.cluster
    service = ClusterService(ClusterAccess(env.sim.api_client()), "en-US")
    lines = asyncio.run(service.events_for_deployment("default", "nginx"))
    service.close()
    assert isinstance(cluster, ClusterService)
    assert lines and lines[0].startswith("Warning Unhealthy Pod/nginx-")
    assert "Readiness probe failed" in lines[0]
    assert any("ScalingReplicaSet Deployment/nginx" in line for line in lines)
    # The cluster is a dependency, not readiness: a dead API server shows in the health
    # detail, while the bot stays ready (skills answer with an error card naming it).
    health = f"{env.bot.url}/healthz?verbose=1"
    assert httpx.get(health).json()["dependencies"]["kubernetes"] == {"up": True}
    env.sim.inject_fault("^/version/?$", status=500)
    assert httpx.get(health).json()["dependencies"]["kubernetes"]["up"] is False
    ready = httpx.get(f"{env.bot.url}/readyz")
    assert ready.status_code == 200 and "kubernetes" not in ready.json()["checks"]


def test_without_a_cluster_the_card_names_kubernetes(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    missing = {"kubeconfig": str(tmp_path / "no-kubeconfig")}
    bot = start_bot(
        platform,
        db_url,
        registry=fix_registry(),
        capabilities=[cluster_capability],
        CLOUDOPS_CONFIG=config_file(tmp_path, cluster=missing),
    )
    try:
        assert bot.runtime.services.cluster is None
        bot.sender.say("/fix nginx", chat_id="oc_nocluster")
        card = bot.wait_for(lambda: bot.bot_messages("oc_nocluster"))[0].content
        assert card["header"]["template"] == "carmine"
        assert "Kubernetes" in card_text(card) and "not configured" in card_text(card)
        assert find_button(card, "approve_plan") is None
    finally:
        bot.stop()
