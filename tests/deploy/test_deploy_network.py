"""The network surface of every overlay: the NetworkPolicy, and /alertmanager on an
internal port that no Ingress references."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.deploy.conftest import Manifests


def _container(manifests: Manifests) -> dict[str, Any]:
    [container] = manifests.one("Deployment")["spec"]["template"]["spec"]["containers"]
    return container


def _ports(rule: dict[str, Any]) -> set[object]:
    return {p["port"] for p in rule.get("ports", [])}


def test_alertmanager_port_is_internal(rendered: dict[str, Manifests], overlay: str) -> None:
    manifests = rendered[overlay]
    container = _container(manifests)
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    args = container["args"]
    assert int(args[args.index("--internal-port") + 1]) == ports["internal"] != ports["http"]
    service_ports = {p["name"]: p["targetPort"] for p in manifests.one("Service")["spec"]["ports"]}
    assert service_ports["internal"] == "internal"
    for ingress in manifests.of_kind("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                assert path["backend"]["service"]["port"]["name"] == "http"
                assert path["path"] != "/alertmanager"


def test_network_policy_selects_the_bot(rendered: dict[str, Manifests], overlay: str) -> None:
    manifests = rendered[overlay]
    policy = manifests.one("NetworkPolicy")["spec"]
    labels = manifests.one("Deployment")["spec"]["template"]["metadata"]["labels"]
    assert policy["podSelector"]["matchLabels"].items() <= labels.items()
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}


def test_network_policy_ingress_only_from_named_namespaces(
    rendered: dict[str, Manifests], overlay: str
) -> None:
    policy = rendered[overlay].one("NetworkPolicy")["spec"]
    sources: dict[str, set[object]] = {}
    for rule in policy["ingress"]:
        for peer in rule["from"]:
            assert set(peer) == {"namespaceSelector"}, peer  # no ipBlock, no "any pod"
            name = peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
            sources.setdefault(name, set()).update(_ports(rule))
    assert sources["ingress-nginx"] == {"http"}  # the controller reaches /feishu/events only
    assert "internal" in sources["monitoring"]  # Alertmanager posts to the internal port


def test_network_policy_egress_covers_what_the_bot_calls(
    rendered: dict[str, Manifests], overlay: str
) -> None:
    policy = rendered[overlay].one("NetworkPolicy")["spec"]
    allowed = set().union(*(_ports(rule) for rule in policy["egress"]))
    # DNS, Feishu and hosted models (443), API server (6443), Prometheus, Alertmanager,
    # Redis, PostgreSQL.
    assert {53, 443, 6443, 9090, 9093, 6379, 5432} <= allowed
    for rule in policy["egress"]:
        assert rule.get("ports"), "an egress rule without ports allows every port"
        for peer in rule["to"]:
            block = peer.get("ipBlock")
            if block and block["cidr"] == "0.0.0.0/0":
                assert _ports(rule) == {443}  # the internet: HTTPS only
                assert "10.0.0.0/8" in block["except"]
