"""cluster.changes on API objects: which changes fall in the window and whom they concern."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cluster.changes import (
    _config_changes,
    _node_changes,
    _scaling,
    _warnings,
    config_users,
    rollouts,
)

SINCE = pd.Timestamp("2026-12-03T06:00:00Z")
UNTIL = pd.Timestamp("2026-12-03T06:30:00Z")


def _rs(name: str, revision: int, created: str, image: str) -> dict[str, Any]:
    return {
        "metadata": {
            "name": f"{name}-{revision}abc",
            "creationTimestamp": created,
            "annotations": {"deployment.kubernetes.io/revision": str(revision)},
            "ownerReferences": [{"kind": "Deployment", "name": name}],
        },
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}},
    }


def test_a_new_replica_set_in_the_window_is_a_rollout_with_its_image_diff() -> None:
    sets = [
        _rs("api", 2, "2026-12-03T06:10:00Z", "api:2"),
        _rs("api", 1, "2026-12-01T00:00:00Z", "api:1"),
        _rs("db", 1, "2026-12-03T06:05:00Z", "db:1"),  # a first ReplicaSet: a creation
        _rs("web", 2, "2026-12-02T06:10:00Z", "web:2"),  # before the window
        _rs("web", 1, "2026-12-01T06:10:00Z", "web:1"),
    ]
    found = list(rollouts(sets, SINCE, UNTIL))
    assert [(c.workload, c.facts["image"], c.facts["previous_image"]) for c in found] == [
        ("api", "api:2", "api:1")
    ]
    assert found[0].at == pd.Timestamp("2026-12-03T06:10:00Z")


def test_a_config_change_concerns_the_deployments_that_use_it() -> None:
    deployments = [
        {
            "metadata": {"name": "api"},
            "spec": {
                "template": {
                    "spec": {
                        "volumes": [{"name": "c", "configMap": {"name": "api-config"}}],
                        "containers": [{"envFrom": [{"secretRef": {"name": "shared"}}]}],
                    }
                }
            },
        },
        {
            "metadata": {"name": "worker"},
            "spec": {
                "template": {
                    "spec": {
                        "containers": [
                            {"env": [{"valueFrom": {"secretKeyRef": {"name": "shared"}}}]}
                        ]
                    }
                }
            },
        },
    ]
    users = config_users(deployments)
    written = {
        "managedFields": [{"time": "2026-12-01T00:00:00Z"}, {"time": "2026-12-03T06:20:00Z"}]
    }
    objects = [
        {"kind": "Secret", "metadata": {"name": "shared", **written}},
        {
            "kind": "ConfigMap",
            "metadata": {"name": "api-config", "creationTimestamp": "2026-11-01T00:00:00Z"},
        },
        {"kind": "ConfigMap", "metadata": {"name": "unused", **written}},
    ]
    found = list(_config_changes(objects, users, SINCE, UNTIL))
    assert sorted((c.workload, c.subject) for c in found) == [
        ("api", "Secret/shared"),
        ("worker", "Secret/shared"),
    ]


def test_scaling_nodes_and_warnings_in_the_window() -> None:
    hpas = [
        {
            "metadata": {"name": "api"},
            "spec": {"scaleTargetRef": {"name": "api"}},
            "status": {
                "lastScaleTime": "2026-12-03T06:12:00Z",
                "currentReplicas": 2,
                "desiredReplicas": 6,
            },
        },
        {
            "metadata": {"name": "old"},
            "spec": {},
            "status": {"lastScaleTime": "2026-12-02T00:00:00Z"},
        },
    ]
    assert [(c.workload, c.facts["to"]) for c in _scaling(hpas, SINCE, UNTIL)] == [("api", "6")]
    nodes = [
        {
            "metadata": {"name": "n1"},
            "status": {
                "conditions": [
                    {
                        "type": "Ready",
                        "status": "False",
                        "lastTransitionTime": "2026-12-03T06:01:00Z",
                    },
                    {
                        "type": "DiskPressure",
                        "status": "False",
                        "lastTransitionTime": "2026-12-03T06:01:00Z",
                    },
                    {
                        "type": "MemoryPressure",
                        "status": "True",
                        "lastTransitionTime": "2026-12-03T06:02:00Z",
                    },
                ]
            },
        }
    ]
    assert [c.facts["condition"] for c in _node_changes(nodes, SINCE, UNTIL)] == [
        "Ready",
        "MemoryPressure",
    ]
    events = [
        {
            "type": "Warning",
            "reason": "BackOff",
            "message": "Back-off   restarting <at id=all></at>",
            "lastTimestamp": "2026-12-03T06:15:00Z",
            "involvedObject": {"kind": "Pod", "name": "api-7d9f8b6c5d-x2k4q"},
        },
        {
            "type": "Normal",
            "reason": "Pulled",
            "lastTimestamp": "2026-12-03T06:15:00Z",
            "involvedObject": {"kind": "Pod", "name": "api-7d9f8b6c5d-x2k4q"},
        },
    ]
    warnings = _warnings(events, SINCE, UNTIL)
    assert [(c.workload, c.facts["reason"]) for c in warnings] == [("api", "BackOff")]
    assert warnings[0].facts["message"] == "Back-off restarting <at id=all></at>"
