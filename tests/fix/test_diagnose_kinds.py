"""/diagnose across kinds in chat: the namespace card names every broken object by kind,
name and cause, stays small, and its Details buttons and kind/name targets show the
evidence; --all-namespaces is for approvers of "*" only. Nothing is written."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot.cards.survey import MAX_OBJECTS
from sandbox.cluster import KubeSimulator
from sandbox.cluster.broken import broken_kinds_world
from tests.fix.conftest import APPROVER, FixEnv, buttons, card_text

# kind/name → words of the cause that must be on the namespace card
EXPECTED = {
    "Service/orders": "selects no pod (app=order)",
    "Ingress/storefront": "Service catalog, which does not exist",
    "PersistentVolumeClaim/reports-data": "StorageClass ssd does not exist",
    "StatefulSet/db": "stuck on ordinal 0: db-0 is not ready (CrashLoopBackOff)",
    "DaemonSet/agent": "cannot pull its image",
    "Job/migrate": "failed (BackoffLimitExceeded)",
    "CronJob/report": "invalid schedule: 61 * * * *",
    "Node/node-2": "is not ready",
    "Node/node-3": "under DiskPressure",
    "Node/node-4": "cordoned",
    "HorizontalPodAutoscaler/frontend": "Deployment/frontend of HPA frontend does not exist",
    "PodDisruptionBudget/orders": "allows no eviction",
    "NetworkPolicy/deny-payments": "blocks port 8080 of Service payments",
    "Deployment/web": "Init container migrate-schema is failing",
    "Deployment/api": "source ConfigMap/api-config of volume config is missing",
    "Deployment/cache": "evicted",
    "Deployment/search": "LimitRange refuses the pods",
}


@pytest.fixture
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(broken_kinds_world()) as running:
        yield running


def _final(env: FixEnv, chat: str, index: int = 0) -> dict:
    def done() -> dict | None:
        sent = env.messages(chat)
        if len(sent) > index and sent[index].content["header"]["template"] != "wathet":
            return sent[index].content
        return None

    found: dict = env.bot.wait_for(done, 20)
    return found


def _line_of(text: str, label: str) -> str:
    markdown = next(
        e["content"] for e in json.loads(text)["body"]["elements"] if e.get("tag") == "markdown"
    )
    return next(line for line in markdown.split("\n") if f"**{label}**" in line)


def test_namespace_card_names_every_broken_object(env: FixEnv) -> None:
    env.say("/diagnose -n shop", chat="oc_shop")
    card = _final(env, "oc_shop")
    text = card_text(card)
    assert card["header"]["template"] == "red"
    for label, cause in EXPECTED.items():
        assert cause in _line_of(text, label), label
    # Small: at most 20 objects, a Details button each and nothing else.
    values = [value for _, value in buttons(card)]
    assert len(values) <= MAX_OBJECTS and {v["action"] for v in values} == {"diagnose_object"}
    assert len(text.encode()) < 12_000
    for method in ("PATCH", "POST", "PUT", "DELETE"):
        assert env.sim.requests_to(method) == []


def test_details_button_and_kind_targets_show_the_evidence(env: FixEnv) -> None:
    env.say("/diagnose -n shop", chat="oc_detail")
    card = _final(env, "oc_detail")
    value = next(v for _, v in buttons(card) if v["kind"] == "Service")
    env.click(value, env.messages("oc_detail")[0])
    detail = env.wait_message(lambda m: "Nearest workload" in card_text(m.content), "oc_detail")
    assert "app=order ≠ app=orders" in card_text(detail.content)

    env.say("/diagnose sts/db -n shop", chat="oc_sts")
    sts = card_text(_final(env, "oc_sts"))
    assert "Diagnosis: shop/StatefulSet/db" in sts
    assert "the 2 pod(s) after it" in sts and "keeps crashing" in sts
    env.say("/diagnose node/node-2", chat="oc_node")
    assert "Kubelet stopped posting node status" in card_text(_final(env, "oc_node"))
    env.say("/diagnose svc/ghost -n shop", chat="oc_ghost")
    missing = _final(env, "oc_ghost")
    assert missing["header"]["template"] == "carmine" and "not found" in card_text(missing)
    env.say("/diagnose widget/x -n shop", chat="oc_bad")
    assert "Unknown kind" in card_text(_final(env, "oc_bad"))


def test_all_namespaces_only_for_approvers_of_every_namespace(make_env) -> None:
    approvers = [
        {"open_id": APPROVER, "namespaces": ["shop"]},
        {"open_id": "ou_root", "namespaces": ["*"]},
    ]
    env = make_env(approvals={"ttl_minutes": 30, "approvers": approvers})
    env.say("/diagnose --all-namespaces", chat="oc_all")  # the sender is not ou_root
    refused = _final(env, "oc_all")
    assert "Only approvers of every namespace" in card_text(refused)
    env.bot.sender.say("/diagnose --all-namespaces", chat_id="oc_root", sender="ou_root")
    card = card_text(_final(env, "oc_root"))
    assert "Diagnosis: all namespaces" in card
    # objects of several namespaces, most severe first, on one card (20 at most, then more)
    shown = {ns for ns in ("shop/", "operators/", "platform/") if f"**{ns}" in card}
    assert len(shown) >= 2, card[:2000]


def test_a_kind_the_bot_may_not_read_is_named_on_the_card(env: FixEnv) -> None:
    env.sim.inject_fault(r"/apis/batch/v1/namespaces/shop/cronjobs$", status=403)
    env.say("/diagnose -n shop", chat="oc_rbac")
    text = card_text(_final(env, "oc_rbac"))
    assert "Not allowed to read (or not served): CronJob;" in text
    assert "**CronJob/report**" not in text and "**Job/migrate**" in text


# The "operators" namespace: OLM (v0 and v1), GMP and a worker whose log has errors.
OPERATORS = {
    "CatalogSource/community": "is not READY (TRANSIENT_FAILURE)",
    "ClusterServiceVersion/etcdoperator.v0.9.4": "failed to install (TooManyOperatorGroups)",
    "InstallPlan/install-7k2lq": "failed (InstallComponentFailed)",
    "Subscription/etcd": "cannot install or upgrade etcd (ResolutionFailed)",
    "OperatorGroup/og-a": "2 OperatorGroups in one namespace",
    "ClusterCatalog/operatorhubio": "is not serving (Retrying)",
    "ClusterExtension/argocd": "is not installed (Retrying)",
    "PodMonitoring/exporter": "selects no pod (app=exportr)",
    "PodMonitoring/worker": "produced no scrape configuration (ScrapeConfigInvalid)",
}


def test_operators_card_and_a_cluster_scoped_details_button(env: FixEnv) -> None:
    env.say("/diagnose -n operators", chat="oc_ops")
    card = _final(env, "oc_ops")
    text = card_text(card)
    for label, cause in OPERATORS.items():
        assert cause in _line_of(text, label), label
    assert "**Deployment/worker**" in text and "hunter2" not in text
    value = next(v for _, v in buttons(card) if v["kind"] == "ClusterExtension")
    assert value["namespace"] == ""
    env.click(value, env.messages("oc_ops")[0])
    detail = env.wait_message(lambda m: "argocd-operator" in card_text(m.content), "oc_ops")
    assert 'no bundles found for package \\"argocd-operator\\"' in card_text(detail.content)


# The extension APIs' namespace: kind/name → words of the cause on the card.
EXTENSIONS = {
    "Gateway/edge": "Listener https of Gateway edge does not serve (ResolvedRefs=False)",
    "Gateway/legacy-lb": "GatewayClass nginx of Gateway legacy-lb does not exist",
    "GatewayClass/internal": "GatewayClass internal is not accepted by a controller",
    "HTTPRoute/shop-web": "sends traffic to Service catalog, which does not exist",
    "ResourceClaim/gpu-train": "DeviceClass gpu.nvidia.com requested by ResourceClaim",
}


def test_extension_kinds_on_the_card_and_their_details(env: FixEnv) -> None:
    env.say("/diagnose -n platform", chat="oc_platform")
    card = _final(env, "oc_platform")
    text = card_text(card)
    for label, cause in EXTENSIONS.items():
        assert cause in _line_of(text, label), label
    # A cluster-scoped object's Details button: no namespace, its detail card.
    value = next(v for _, v in buttons(card) if v["kind"] == "GatewayClass")
    assert value["namespace"] == ""
    env.click(value, env.messages("oc_platform")[0])
    detail = env.wait_message(lambda m: "InvalidParameters" in card_text(m.content), "oc_platform")
    assert "infra/internal-lb" in card_text(detail.content)

    env.say("/diagnose crd/widgets.example.com", chat="oc_crd")
    crd = card_text(_final(env, "oc_crd"))
    assert "still stores version(s) v1alpha1" in crd and "ShortNamesConflict" in crd
    env.say("/diagnose httproute/shop-web -n platform", chat="oc_route")
    route = card_text(_final(env, "oc_route"))
    assert "Gateway platform/legacy of HTTPRoute shop-web does not exist" in route
    assert "Service orders exposes: 80." in route
    for method in ("PATCH", "POST", "PUT", "DELETE"):
        assert env.sim.requests_to(method) == []
