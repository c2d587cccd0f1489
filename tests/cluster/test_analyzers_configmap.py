"""Table tests for the ConfigMap analyzer: empty and unused, from key names only."""

from __future__ import annotations

import pytest

from cluster.analyzers import configmap
from tests.cluster.kinds import pod, view, workload


def keys(**maps: tuple[str, ...]) -> dict[str, frozenset[str]]:
    return {f"ConfigMap/{name.replace('_', '-')}": frozenset(k) for name, k in maps.items()}


def using(kind: str, name: str, **spec: object) -> dict:
    obj = workload(kind, name)
    obj["spec"]["template"]["spec"].update(spec)
    return obj


ENV = [
    {
        "name": "app",
        "image": "x",
        "envFrom": [{"configMapRef": {"name": "env"}}],
        "env": [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "one", "key": "a"}}}],
    }
]
PROJECTED = [{"name": "p", "projected": {"sources": [{"configMap": {"name": "proj"}}]}}]
VOLUME = [{"name": "v", "configMap": {"name": "vol"}}]

CASES = [
    # Healthy: every ConfigMap has keys and is used (envFrom, env, projected, volume, pod).
    pytest.param(
        view(
            config_keys={
                **keys(env=("a",), one=("a",), proj=("b",), vol=("c",), bare=("d",)),
                "Secret/s": frozenset(),
                "ConfigMap/kube-root-ca.crt": frozenset({"ca.crt"}),
            },
            deployments=[using("Deployment", "web", containers=ENV, volumes=PROJECTED)],
            cron_jobs=[
                {
                    "metadata": {"name": "r"},
                    "spec": {"jobTemplate": {"spec": {"template": {"spec": {"volumes": VOLUME}}}}},
                }
            ],
            pods=[pod("debug", volumes=[{"name": "b", "configMap": {"name": "bare"}}])],
        ),
        [],
        id="healthy",
    ),
    pytest.param(
        view(
            config_keys=keys(flags=()),
            deployments=[
                using("Deployment", "web", volumes=[{"name": "f", "configMap": {"name": "flags"}}])
            ],
        ),
        [("shop/ConfigMap/flags", "configmap_empty")],
        id="empty",
    ),
    pytest.param(
        view(config_keys=keys(old_settings=("a", "b"))),
        [("shop/ConfigMap/old-settings", "configmap_unused")],
        id="unused",
    ),
    # While a kind with pod templates cannot be read, "unused" cannot be said.
    pytest.param(
        view(config_keys=keys(old_settings=("a",)), unreadable=("cron_jobs",)),
        [],
        id="templates-unreadable",
    ),
]


@pytest.mark.parametrize("obj, expected", CASES)
def test_configmap(obj, expected) -> None:
    found = configmap.check(obj)
    assert [(f.object, f.problem) for f in found] == expected
    assert all(f.severity == "info" for f in found)


def test_no_value_reaches_a_finding() -> None:
    (found,) = configmap.check(view(config_keys=keys(creds=("password",))))
    assert found.evidence == {"configmap": "creds", "keys": "1"}
