"""What each overlay chooses: replicas, storage, transport, Ingress, disruption budget."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.deploy.conftest import Manifests

REPLICAS = {"webhook": 1, "longconn": 1, "single": 1, "scale-out": 3}
TRANSPORT = {
    "webhook": "webhook",
    "longconn": "longconn",
    "single": "webhook",
    "scale-out": "webhook",
}
WITH_INGRESS = {"webhook", "scale-out"}
SQLITE_ON_PVC = {"webhook", "longconn", "single"}
WEBHOOK_PATHS = {"/feishu/events"}  # /alertmanager: internal port only


def _container(manifests: Manifests) -> dict[str, Any]:
    [container] = manifests.one("Deployment")["spec"]["template"]["spec"]["containers"]
    return container


def _env_config(manifests: Manifests) -> dict[str, str]:
    """The data of the ConfigMap that the container's envFrom points at."""
    [name] = [
        s["configMapRef"]["name"] for s in _container(manifests)["envFrom"] if "configMapRef" in s
    ]
    data: dict[str, str] = manifests.one("ConfigMap", name)["data"]
    return data


def _pod_labels(manifests: Manifests) -> dict[str, str]:
    labels: dict[str, str] = manifests.one("Deployment")["spec"]["template"]["metadata"]["labels"]
    return labels


def test_replicas(rendered: dict[str, Manifests], overlay: str) -> None:
    assert rendered[overlay].one("Deployment")["spec"]["replicas"] == REPLICAS[overlay]


def test_transport(rendered: dict[str, Manifests], overlay: str) -> None:
    assert _env_config(rendered[overlay])["FEISHU_TRANSPORT"] == TRANSPORT[overlay]


def test_config_file_and_data_dir_are_wired(rendered: dict[str, Manifests], overlay: str) -> None:
    manifests = rendered[overlay]
    env = _env_config(manifests)
    container = _container(manifests)
    volumes = {
        v["name"]: v for v in manifests.one("Deployment")["spec"]["template"]["spec"]["volumes"]
    }
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    config_dir, _, key = env["CLOUDOPS_CONFIG"].rpartition("/")
    config_map = manifests.one("ConfigMap", volumes[mounts[config_dir]]["configMap"]["name"])
    assert key in config_map["data"]
    assert env["CLOUDOPS_DATA_DIR"] in mounts


def test_storage_mode(rendered: dict[str, Manifests], overlay: str) -> None:
    manifests = rendered[overlay]
    deployment = manifests.one("Deployment")
    container = _container(manifests)
    data_dir = _env_config(manifests)["CLOUDOPS_DATA_DIR"]
    [data_mount] = [m for m in container["volumeMounts"] if m["mountPath"] == data_dir]
    [data] = [
        v
        for v in deployment["spec"]["template"]["spec"]["volumes"]
        if v["name"] == data_mount["name"]
    ]
    env_names = {e["name"] for e in container.get("env", [])}
    if overlay in SQLITE_ON_PVC:
        assert deployment["spec"]["strategy"] == {"type": "Recreate"}
        assert set(data) == {"name", "persistentVolumeClaim"}
        claim = manifests.one("PersistentVolumeClaim", data["persistentVolumeClaim"]["claimName"])
        assert claim["metadata"]["namespace"] == deployment["metadata"]["namespace"]
        assert not {"DATABASE_URL", "REDIS_URL"} & (env_names | set(_env_config(manifests)))
    else:
        assert manifests.of_kind("PersistentVolumeClaim") == []
        assert {"DATABASE_URL", "REDIS_URL"} <= env_names
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_selectors_match_the_pods(rendered: dict[str, Manifests], overlay: str) -> None:
    manifests = rendered[overlay]
    labels = _pod_labels(manifests).items()
    assert manifests.one("Service")["spec"]["selector"].items() <= labels
    assert manifests.one("PodDisruptionBudget")["spec"]["selector"]["matchLabels"].items() <= labels
    assert manifests.one("Deployment")["spec"]["selector"]["matchLabels"].items() <= labels
    target = manifests.one("Service")["spec"]["ports"][0]["targetPort"]
    assert target in {p["name"] for p in _container(manifests)["ports"]}


def test_disruption_budget(rendered: dict[str, Manifests], overlay: str) -> None:
    spec = rendered[overlay].one("PodDisruptionBudget")["spec"]
    if overlay == "scale-out":
        assert spec["minAvailable"] == 2 and "maxUnavailable" not in spec
    else:
        # One replica: minAvailable would block every node drain.
        assert spec["maxUnavailable"] == 1 and "minAvailable" not in spec


def test_scale_out_spreads_replicas(rendered: dict[str, Manifests]) -> None:
    manifests = rendered["scale-out"]
    affinity = manifests.one("Deployment")["spec"]["template"]["spec"]["affinity"]
    [term] = affinity["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert term["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname"
    selector = term["podAffinityTerm"]["labelSelector"]["matchLabels"]
    assert selector.items() <= _pod_labels(manifests).items()
    for name in ("REDIS_URL", "DATABASE_URL"):
        [env] = [e for e in _container(manifests)["env"] if e["name"] == name]
        assert env["valueFrom"]["secretKeyRef"] == {"name": "cloudops-secrets", "key": name}


def test_ingress_exposes_only_the_webhooks(rendered: dict[str, Manifests], overlay: str) -> None:
    manifests = rendered[overlay]
    ingresses = manifests.of_kind("Ingress")
    if overlay not in WITH_INGRESS:
        assert ingresses == []
        return
    [ingress] = ingresses
    service = manifests.one("Service")
    paths = [p for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert {p["path"] for p in paths} == WEBHOOK_PATHS
    for path in paths:
        assert path["pathType"] == "Exact"
        backend = path["backend"]["service"]
        assert backend["name"] == service["metadata"]["name"]
        assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}
        assert backend["port"]["name"] != "internal"
    assert ingress["spec"]["tls"]
