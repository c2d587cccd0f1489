"""The simulator through the real kubernetes client: reads, patches, statuses, reactions."""

from __future__ import annotations

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from sandbox.cluster import KubeSimulator, World, demo_world

SMP = "application/strategic-merge-patch+json"


def apps(sim: KubeSimulator) -> client.AppsV1Api:
    return client.AppsV1Api(sim.api_client())


def core(sim: KubeSimulator) -> client.CoreV1Api:
    return client.CoreV1Api(sim.api_client())


def readiness_patch(path: str) -> dict:
    container = {"name": "nginx", "readinessProbe": {"httpGet": {"path": path, "port": 80}}}
    return {"spec": {"template": {"spec": {"containers": [container]}}}}


def ready_pods(sim: KubeSimulator) -> list[str]:
    pods = core(sim).list_namespaced_pod("default", label_selector="app=nginx").items
    return [
        p.metadata.name for p in pods if all(c.ready for c in p.status.container_statuses or [])
    ]


def test_broken_readiness_keeps_pods_unready_with_probe_events(nginx_sim) -> None:
    assert ready_pods(nginx_sim) == []
    events = core(nginx_sim).list_namespaced_event(
        "default", field_selector="involvedObject.kind=Pod,reason=Unhealthy"
    )
    assert {e.message for e in events.items} == {
        "Readiness probe failed: HTTP probe failed with statuscode: 404"
    }
    endpoints = core(nginx_sim).read_namespaced_endpoints("nginx", "default")
    assert (
        endpoints.subsets[0].addresses is None
        and len(endpoints.subsets[0].not_ready_addresses) == 2
    )


def test_fixing_the_probe_rolls_out_a_new_replica_set_that_becomes_ready(nginx_sim) -> None:
    api = apps(nginx_sim)
    before = api.read_namespaced_deployment("nginx", "default")
    patched = api.patch_namespaced_deployment(
        "nginx", "default", readiness_patch("/"), _content_type=SMP
    )
    # Strategic merge kept the rest of the container (image, resources) and bumped generation.
    container = patched.spec.template.spec.containers[0]
    assert container.image == "nginx:1.25" and container.resources.requests["memory"] == "512Mi"
    assert container.readiness_probe.period_seconds == 1
    assert patched.metadata.generation == before.metadata.generation + 1
    assert int(patched.metadata.resource_version) > int(before.metadata.resource_version)
    nginx_sim.tick(5)
    sets = {
        rs.metadata.annotations["deployment.kubernetes.io/revision"]: rs
        for rs in api.list_namespaced_replica_set("default").items
    }
    assert sets["2"].status.ready_replicas == 2 and sets["1"].spec.replicas == 0
    status = api.read_namespaced_deployment("nginx", "default").status
    assert (
        status.observed_generation,
        status.updated_replicas,
        status.ready_replicas,
        status.available_replicas,
    ) == (2, 2, 2, 2)
    assert {c.type: c.reason for c in status.conditions}["Progressing"] == "NewReplicaSetAvailable"
    assert len(ready_pods(nginx_sim)) == 2


def test_dry_run_validates_and_changes_nothing(nginx_sim) -> None:
    api = apps(nginx_sim)
    before = api.read_namespaced_deployment("nginx", "default")
    result = api.patch_namespaced_deployment(
        "nginx", "default", readiness_patch("/"), dry_run="All", _content_type=SMP
    )
    assert result.spec.template.spec.containers[0].readiness_probe.http_get.path == "/"
    after = api.read_namespaced_deployment("nginx", "default")
    assert after.metadata.resource_version == before.metadata.resource_version
    assert after.spec.template.spec.containers[0].readiness_probe.http_get.path == "/health"


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        # periodSeconds 0 is invalid: 422 Invalid.
        pytest.param(
            {
                "spec": {
                    "template": {
                        "spec": {
                            "containers": [
                                {"name": "nginx", "readinessProbe": {"periodSeconds": 0}}
                            ]
                        }
                    }
                }
            },
            SMP,
            422,
            id="invalid-probe",
        ),
        # A stale resourceVersion in the patch: 409 Conflict.
        pytest.param(
            {"metadata": {"resourceVersion": "1"}, "spec": {"replicas": 3}}, SMP, 409, id="stale-rv"
        ),
        # A JSON patch removing a path that does not exist: 422.
        pytest.param(
            [{"op": "remove", "path": "/spec/nothing"}],
            "application/json-patch+json",
            422,
            id="bad-json-patch",
        ),
        # Changing the selector is immutable: 422.
        pytest.param(
            {"spec": {"selector": {"matchLabels": {"app": "other"}}}},
            "application/merge-patch+json",
            422,
            id="selector",
        ),
    ],
)
def test_patch_errors_use_api_statuses(nginx_sim, body, content_type, status) -> None:
    with pytest.raises(ApiException) as caught:
        apps(nginx_sim).patch_namespaced_deployment(
            "nginx", "default", body, _content_type=content_type
        )
    assert caught.value.status == status
    assert apps(nginx_sim).read_namespaced_deployment("nginx", "default").spec.replicas == 2


def test_missing_objects_are_404(nginx_sim) -> None:
    with pytest.raises(ApiException) as caught:
        apps(nginx_sim).read_namespaced_deployment("nope", "default")
    assert caught.value.status == 404


def test_scale_subresource_and_merge_patch(nginx_sim) -> None:
    api = apps(nginx_sim)
    api.patch_namespaced_deployment_scale(
        "nginx", "default", {"spec": {"replicas": 3}}, _content_type="application/merge-patch+json"
    )
    assert api.read_namespaced_deployment_scale("nginx", "default").spec.replicas == 3
    nginx_sim.tick(2)
    assert (
        len(core(nginx_sim).list_namespaced_pod("default", label_selector="app=nginx").items) == 3
    )


def test_json_patch_and_request_recording(nginx_sim) -> None:
    body = [{"op": "replace", "path": "/spec/replicas", "value": 1}]
    apps(nginx_sim).patch_namespaced_deployment(
        "nginx", "default", body, _content_type="application/json-patch+json"
    )
    (recorded,) = nginx_sim.requests_to("PATCH")
    assert recorded.path == "/apis/apps/v1/namespaces/default/deployments/nginx"
    assert recorded.content_type == "application/json-patch+json" and recorded.body == body
    assert apps(nginx_sim).read_namespaced_deployment("nginx", "default").spec.replicas == 1


def test_demo_world_reacts_to_memory_and_images() -> None:
    with KubeSimulator(demo_world(settle_seconds=60)) as sim:
        api = core(sim)
        worker = api.list_namespaced_pod("default", label_selector="app=report-worker").items[0]
        status = worker.status.container_statuses[0]
        assert status.last_state.terminated.reason == "OOMKilled" and status.restart_count >= 2
        previous = api.read_namespaced_pod_log(
            worker.metadata.name, "default", previous=True, tail_lines=1
        )
        assert previous.strip() == "Killed"
        checkout = api.list_namespaced_pod("default", label_selector="app=checkout").items
        waiting = {
            c.state.waiting.reason
            for p in checkout
            for c in p.status.container_statuses
            if c.state.waiting
        }
        assert waiting == {"ImagePullBackOff"}
        # Raising the memory limit above what the worker needs makes it run.
        patch = {
            "spec": {
                "template": {
                    "spec": {
                        "containers": [
                            {"name": "worker", "resources": {"limits": {"memory": "256Mi"}}}
                        ]
                    }
                }
            }
        }
        apps(sim).patch_namespaced_deployment("report-worker", "default", patch, _content_type=SMP)
        sim.tick(5)
        deployment = apps(sim).read_namespaced_deployment("report-worker", "default")
        assert deployment.status.ready_replicas == 1
        metrics = client.CustomObjectsApi(sim.api_client()).list_namespaced_custom_object(
            "metrics.k8s.io", "v1beta1", "payments", "pods"
        )
        ledger = [m for m in metrics["items"] if m["metadata"]["name"].startswith("ledger")][0]
        assert ledger["containers"][0]["usage"]["cpu"] == "50m"  # capped by its limit


def test_unschedulable_and_quota() -> None:
    from sandbox.cluster.manifests import container, deployment, node, quota

    world = World()
    world.add(node("n1", cpu="2", memory="4Gi"))
    world.add(
        deployment("big", "huge", [container("app", "busybox:1", requests={"memory": "16Gi"})])
    )
    world.add(quota("small", "compute", {"pods": "1"}))
    world.add(deployment("small", "web", [container("app", "busybox:1")], replicas=2))
    with KubeSimulator(world) as sim:
        sim.tick(2)
        api = core(sim)
        (pending,) = api.list_namespaced_pod("big").items
        scheduled = {c.type: c for c in pending.status.conditions}["PodScheduled"]
        assert (pending.status.phase, scheduled.reason) == ("Pending", "Unschedulable")
        assert scheduled.message == "0/1 nodes are available: 1 Insufficient memory."
        assert len(api.list_namespaced_pod("small").items) == 1
        refusals = api.list_namespaced_event("small", field_selector="reason=FailedCreate").items
        assert "exceeded quota: compute" in refusals[0].message


def test_faults_answer_500_or_hang(nginx_sim) -> None:
    nginx_sim.inject_fault(r"/deployments/nginx$", method="GET", status=500, times=1)
    with pytest.raises(ApiException) as caught:
        apps(nginx_sim).read_namespaced_deployment("nginx", "default")
    assert caught.value.status == 500
    # Only once: the next read succeeds.
    assert apps(nginx_sim).read_namespaced_deployment("nginx", "default").metadata.name == "nginx"
    nginx_sim.inject_fault(r"/pods$", hang=2.0)
    with pytest.raises(Exception) as hung:
        core(nginx_sim).list_namespaced_pod("default", _request_timeout=0.3)
    assert "timed out" in str(hung.value).lower()
