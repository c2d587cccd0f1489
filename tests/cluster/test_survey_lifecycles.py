"""Findings that come from the simulator's controllers over time, through the real client:
deadlines, autoscalers at their ceiling, stale CronJobs, lost claims, misscheduled
DaemonSets and evictions by node pressure."""

from __future__ import annotations

from typing import Any

from cluster.access import ClusterAccess
from cluster.survey import survey_namespace
from sandbox.cluster import ImageBehaviour, KubeSimulator, World, step
from sandbox.cluster.manifests import container, deployment, node
from sandbox.cluster.nodes import set_condition

NS = "ops"
IMAGES = {
    "ops/worker:1": ImageBehaviour(ports=frozenset(), start_seconds=1),
    "ops/busy:1": ImageBehaviour(ports=frozenset({8080}), cpu_m=50, start_seconds=1),
    "ops/fail:1": ImageBehaviour(ports=frozenset(), exit_code=3, start_seconds=1),
}


def _obj(kind: str, api: str, name: str, **body: Any) -> dict[str, Any]:
    return {"kind": kind, "apiVersion": api, "metadata": {"name": name, "namespace": NS}, **body}


def _template(image: str) -> dict[str, Any]:
    spec = {"restartPolicy": "Never", "containers": [container("main", image, port=None)]}
    return {"spec": spec}


def _world() -> World:
    world = World(images=dict(IMAGES))
    world.add(node("node-1", cpu="32", memory="64Gi", ip="10.0.0.11"))
    edge = node("node-2", cpu="32", memory="64Gi", ip="10.0.0.12")
    edge["metadata"]["labels"]["role"] = "edge"
    world.add(edge)
    world.add({"kind": "StorageClass", "metadata": {"name": "fast"}, "provisioner": "csi"})
    busy = container("app", "ops/busy:1", port=8080, requests={"cpu": "10m", "memory": "16Mi"})
    hour_ago = world.at(-7200)
    for obj in (
        # A Job that would run for ever, with a 5 s deadline.
        _obj(
            "Job",
            "batch/v1",
            "slow",
            spec={"activeDeadlineSeconds": 5, "template": _template("ops/worker:1")},
        ),
        _obj(
            "Job", "batch/v1", "held", spec={"suspend": True, "template": _template("ops/worker:1")}
        ),
        # Runs at 500% of its CPU request with the ceiling reached.
        deployment(NS, "busy", [busy], replicas=3),
        _obj(
            "HorizontalPodAutoscaler",
            "autoscaling/v2",
            "busy",
            spec={
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "busy"},
                "minReplicas": 1,
                "maxReplicas": 3,
            },
        ),
        # Every minute, always failing; last success two hours ago.
        _obj(
            "CronJob",
            "batch/v1",
            "nightly",
            spec={
                "schedule": "*/1 * * * *",
                "jobTemplate": {"spec": {"backoffLimit": 0, "template": _template("ops/fail:1")}},
            },
            status={"lastScheduleTime": hour_ago, "lastSuccessfulTime": hour_ago},
        ),
        _obj(
            "CronJob",
            "batch/v1",
            "paused",
            spec={
                "schedule": "@daily",
                "suspend": True,
                "jobTemplate": {"spec": {"template": _template("ops/worker:1")}},
            },
        ),
        # A claim that binds, then loses its volume.
        _obj(
            "PersistentVolumeClaim",
            "v1",
            "cache",
            spec={
                "storageClassName": "fast",
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
            },
        ),
        # Edge agents on nodes labelled role=edge.
        _obj(
            "DaemonSet",
            "apps/v1",
            "edge-agent",
            spec={
                "selector": {"matchLabels": {"app": "edge-agent"}},
                "template": {
                    "metadata": {"labels": {"app": "edge-agent"}},
                    "spec": {
                        "nodeSelector": {"role": "edge"},
                        "containers": [container("a", "ops/worker:1", port=None)],
                    },
                },
            },
        ),
    ):
        world.add(obj)
    for _ in range(15):
        step(world)
    return world


async def test_findings_from_controllers_over_time() -> None:
    world = _world()
    with world.lock:
        claim = world.get("persistentvolumeclaims", NS, "cache")
        assert claim is not None and claim["status"]["phase"] == "Bound"
        world.delete("persistentvolumes", "", claim["spec"]["volumeName"])
        edge = world.get("nodes", "", "node-2")
        assert edge is not None
        world.update(edge, lambda n: n["metadata"]["labels"].pop("role"))
        set_condition(world, "node-1", "MemoryPressure", "True", "KubeletHasInsufficientMemory")
    with KubeSimulator(world) as sim:
        sim.tick(70)  # a minute for the CronJob; the kubelet evicts from node-1
        survey = await survey_namespace(ClusterAccess(sim.api_client()), NS)
        for method in ("PATCH", "POST", "PUT", "DELETE"):
            assert sim.requests_to(method) == []
    found = {(o.object, f.problem): f for o in survey.objects for f in o.findings}
    assert found[(f"{NS}/Job/slow", "job_failed")].evidence["reason"] == "DeadlineExceeded"
    assert (f"{NS}/Job/held", "job_suspended") in found
    at_max = found[(f"{NS}/HorizontalPodAutoscaler/busy", "hpa_at_max")]
    assert (at_max.evidence["current"], at_max.evidence["max"]) == ("3", "3")
    stale = found[(f"{NS}/CronJob/nightly", "cronjob_no_recent_success")]
    assert float(stale.evidence["hours"]) >= 2
    assert (f"{NS}/CronJob/paused", "cronjob_suspended") in found
    assert (f"{NS}/PersistentVolumeClaim/cache", "pvc_lost") in found
    assert (f"{NS}/DaemonSet/edge-agent", "daemonset_misscheduled") in found
    assert ("/Node/node-1", "node_pressure") in found
    evicted = [o for o in survey.objects if any(f.problem == "pod_evicted" for f in o.findings)]
    assert evicted and all(o.kind in ("Deployment", "Job") for o in evicted)
