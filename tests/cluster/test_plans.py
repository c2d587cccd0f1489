"""Fix plans: the exact patches and diffs for the legacy seed, the allow-list, hashing."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest

from cluster.errors import PlanError
from cluster.plans import (
    OPERATIONS,
    FixPlan,
    PatchProbe,
    PatchResources,
    PlanLimits,
    RollbackToPrevious,
    RolloutRestart,
    ScaleReplicas,
    Target,
    parse_operation,
    render_diff,
    template_digest,
)
from sandbox.cluster import World, legacy_nginx, step
from sandbox.cluster.manifests import node

PROBE_PATH = "spec.template.spec.containers[nginx].readinessProbe"
REQUESTS = "spec.template.spec.containers[nginx].resources.requests"


@pytest.fixture
def nginx() -> dict:
    """The legacy seed's Deployment as the API server stores it."""
    world = World()
    return world.add(legacy_nginx())


def plan_of(deployment: dict, *operations) -> FixPlan:
    return FixPlan(Target.of(deployment), operations)


LEGACY_CASES = [
    # Readiness probe on a missing /health → the root path nginx serves.
    pytest.param(
        PatchProbe("nginx", "readiness", path="/"),
        {"readinessProbe": {"httpGet": {"path": "/", "port": 80}}},
        [f"{PROBE_PATH}.httpGet.path: /health → /"],
        id="readiness-path",
    ),
    # Probing every 1 s and failing after 1 miss → every 10 s, after 3 misses.
    pytest.param(
        PatchProbe("nginx", "readiness", period=10, failure_threshold=3),
        {"readinessProbe": {"periodSeconds": 10, "failureThreshold": 3}},
        [f"{PROBE_PATH}.failureThreshold: 1 → 3", f"{PROBE_PATH}.periodSeconds: 1 → 10"],
        id="probe-timing",
    ),
    # Requests of 512Mi/500m for a 12Mi/2m process → 32Mi/10m.
    pytest.param(
        PatchResources("nginx", requests={"memory": "32Mi", "cpu": "10m"}),
        {"resources": {"requests": {"cpu": "10m", "memory": "32Mi"}}},
        [f"{REQUESTS}.cpu: 500m → 10m", f"{REQUESTS}.memory: 512Mi → 32Mi"],
        id="requests",
    ),
]


@pytest.mark.parametrize("operation, container_patch, diff", LEGACY_CASES)
def test_legacy_seed_patch_and_diff(nginx, operation, container_patch, diff) -> None:
    rendered = plan_of(nginx, operation).render(nginx)
    (patch,) = rendered.patches
    assert patch.content_type == "application/strategic-merge-patch+json"
    expected = {
        "spec": {"template": {"spec": {"containers": [{"name": "nginx", **container_patch}]}}}
    }
    assert patch.body == expected
    assert [str(line) for line in rendered.diff] == diff


def test_legacy_seed_operations_merge_into_one_patch(nginx) -> None:
    plan = plan_of(
        nginx,
        PatchProbe("nginx", "readiness", path="/"),
        PatchProbe("nginx", "readiness", period=10, failure_threshold=3),
        PatchResources("nginx", requests={"memory": "32Mi", "cpu": "10m"}),
    )
    (patch,) = plan.render(nginx).patches
    assert patch.body == {
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
    rendered = plan.render(nginx)
    assert len(render_diff(rendered.diff).splitlines()) == 5
    # Each operation also has its own diff, for the card's per-step lines.
    assert [len(step.diff) for step in rendered.steps] == [1, 2, 2]
    assert str(rendered.steps[0].diff[0]) == f"{PROBE_PATH}.httpGet.path: /health → /"


def test_switching_a_tcp_probe_to_http_removes_the_tcp_handler(nginx) -> None:
    nginx["spec"]["template"]["spec"]["containers"][0]["livenessProbe"] = {
        "tcpSocket": {"port": 80}
    }
    (patch,) = (
        plan_of(nginx, PatchProbe("nginx", "liveness", path="/", port=80)).render(nginx).patches
    )
    probe = patch.body["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]
    assert probe == {"httpGet": {"path": "/", "port": 80}, "tcpSocket": None}


def test_scale_and_restart_patches(nginx) -> None:
    rendered = plan_of(nginx, ScaleReplicas(3), RolloutRestart("2025-01-31T12:00:00Z")).render(
        nginx
    )
    (patch,) = rendered.patches
    assert patch.body == {
        "spec": {
            "replicas": 3,
            "template": {
                "metadata": {
                    "annotations": {"kubectl.kubernetes.io/restartedAt": "2025-01-31T12:00:00Z"}
                }
            },
        }
    }
    assert "spec.replicas: 2 → 3" in [str(line) for line in rendered.diff]


def test_rollback_renders_a_json_patch_with_the_old_template() -> None:
    world = World()
    world.add(node("n1"))
    deployment = world.add(legacy_nginx())
    step(world)
    old_template = json.loads(json.dumps(deployment["spec"]["template"]))
    current = world.get("deployments", "default", "nginx")
    world.update(
        current, lambda d: d["spec"]["template"]["spec"]["containers"][0].update(image="nginx:1.27")
    )
    step(world)
    live = world.get("deployments", "default", "nginx")
    replica_sets = world.items("replicasets")
    rendered = plan_of(live, RollbackToPrevious(1, template_digest(old_template))).render(
        live, replica_sets
    )
    (patch,) = rendered.patches
    assert patch.content_type == "application/json-patch+json"
    assert patch.body == [{"op": "replace", "path": "/spec/template", "value": old_template}]
    assert [str(x) for x in rendered.diff] == [
        "spec.template.spec.containers[nginx].image: nginx:1.27 → nginx:1.25"
    ]
    # A digest that does not match the saved template is refused.
    with pytest.raises(PlanError, match="no longer holds"):
        plan_of(live, RollbackToPrevious(1, "0" * 64)).render(live, replica_sets)
    # Rolling back to the current revision is a no-op and refused.
    with pytest.raises(PlanError, match="current one"):
        plan_of(live, RollbackToPrevious(2)).render(live, replica_sets)


@pytest.mark.parametrize(
    "operations, message",
    [
        # A container that does not exist.
        pytest.param(
            [PatchProbe("web", "readiness", path="/")], "no container 'web'", id="container"
        ),
        # A limit below the existing 512Mi request would be rejected by the API server.
        pytest.param(
            [PatchResources("nginx", limits={"memory": "256Mi"})],
            "exceed its limit",
            id="limit-below-request",
        ),
        # A limit above the request is fine.
        pytest.param([PatchResources("nginx", limits={"memory": "1Gi"})], None, id="ok-limit"),
        # Outside the configured replica bounds.
        pytest.param([ScaleReplicas(9)], r"within \[1, 5\]", id="scale-bounds"),
        # Setting what is already there changes nothing.
        pytest.param(
            [PatchProbe("nginx", "readiness", path="/health")], "changes nothing", id="no-op"
        ),
        # A liveness probe that does not exist cannot be retimed.
        pytest.param(
            [PatchProbe("nginx", "liveness", period=10)], "no liveness probe", id="missing-probe"
        ),
    ],
)
def test_render_refusals(nginx, operations, message) -> None:
    plan = plan_of(nginx, *operations)
    if message is None:
        plan.render(nginx, limits=PlanLimits(max_replicas=5))
        return
    with pytest.raises(PlanError, match=message):
        plan.render(nginx, limits=PlanLimits(max_replicas=5))


def test_request_above_limit_is_refused(nginx) -> None:
    nginx["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"] = {"memory": "256Mi"}
    with pytest.raises(PlanError, match="exceed its limit"):
        plan_of(nginx, PatchResources("nginx", requests={"memory": "1Gi"})).render(nginx)


def test_rollback_cannot_be_mixed_with_template_changes(nginx) -> None:
    with pytest.raises(PlanError, match="rollback cannot be combined"):
        plan_of(nginx, RollbackToPrevious(1), PatchProbe("nginx", "readiness", path="/"))


BAD_OPERATIONS = [
    pytest.param({"op": "set_image", "container": "nginx", "image": "evil:latest"}, id="image-op"),
    pytest.param({"op": "delete_deployment"}, id="delete-op"),
    pytest.param(
        {"op": "patch_resources", "container": "nginx", "image": "evil"}, id="image-field"
    ),
    pytest.param(
        {"op": "patch_resources", "container": "nginx", "limits": {"nvidia.com/gpu": "1"}}, id="gpu"
    ),
    pytest.param(
        {"op": "patch_resources", "container": "nginx", "requests": {"cpu": "lots"}},
        id="bad-quantity",
    ),
    pytest.param(
        {"op": "patch_probe", "container": "nginx", "kind": "startup", "path": "/"},
        id="startup-probe",
    ),
    pytest.param(
        {"op": "patch_probe", "container": "nginx", "kind": "readiness", "path": "health"},
        id="relative-path",
    ),
    pytest.param(
        {"op": "patch_probe", "container": "nginx", "kind": "readiness", "port": True},
        id="bool-port",
    ),
    pytest.param(
        {"op": "patch_probe", "container": "nginx", "kind": "readiness", "period": 0}, id="period-0"
    ),
    pytest.param(
        {"op": "patch_probe", "container": "nginx", "kind": "readiness"}, id="empty-probe"
    ),
    pytest.param({"op": "scale_replicas", "replicas": "3"}, id="string-replicas"),
    pytest.param(
        {"op": "rollback_to_previous", "revision": 2, "template": {}}, id="template-smuggled"
    ),
    pytest.param("patch_probe", id="not-an-object"),
]


@pytest.mark.parametrize("operation", BAD_OPERATIONS)
def test_from_dict_refuses_anything_outside_the_allow_list(nginx, operation) -> None:
    data = plan_of(nginx, ScaleReplicas(3)).to_dict()
    data["operations"] = [operation]
    with pytest.raises(PlanError):
        FixPlan.from_dict(data)


def test_from_dict_refuses_unknown_plan_fields(nginx) -> None:
    data = plan_of(nginx, ScaleReplicas(3)).to_dict()
    with pytest.raises(PlanError, match="unknown field"):
        FixPlan.from_dict({**data, "force": True})


def test_no_operation_can_express_an_image() -> None:
    # restore_template (the Undo of a StatefulSet/DaemonSet change, built by the bot from
    # the template it saved) carries a template, so JSON from outside may never hold it.
    for kind in OPERATIONS.values():
        names = {f.name for f in dataclasses.fields(kind)}
        if getattr(kind, "trusted_only", False):
            with pytest.raises(PlanError, match="only come from the bot"):
                parse_operation({"op": kind.op, "template": {"spec": {}}})
            continue
        assert not {"image", "images", "template", "spec"} & names, kind


def test_content_hash_is_sha256_of_canonical_json_and_round_trips(nginx) -> None:
    plan = plan_of(nginx, PatchProbe("nginx", "readiness", path="/"), ScaleReplicas(3))
    canonical = json.dumps(
        plan.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert plan.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    # Key order in the submitted JSON does not matter.
    shuffled = json.loads(json.dumps(plan.to_dict(), sort_keys=False))
    shuffled["operations"][0] = dict(reversed(list(shuffled["operations"][0].items())))
    again = FixPlan.from_dict(shuffled)
    assert again == plan and again.content_hash == plan.content_hash
    # Any change of an operation changes the hash.
    other = plan_of(nginx, PatchProbe("nginx", "readiness", path="/index.html"), ScaleReplicas(3))
    assert other.content_hash != plan.content_hash


def test_target_records_the_spec_for_undo(nginx) -> None:
    target = Target.of(nginx)
    assert (target.namespace, target.deployment, target.resource_version) == (
        "default",
        "nginx",
        nginx["metadata"]["resourceVersion"],
    )
    assert (
        target.template["spec"]["containers"][0]["readinessProbe"]["httpGet"]["path"] == "/health"
    )
    assert target.replicas == 2
