"""Read what changed in a namespace during a time window, as ``analysis`` Change values.

Sources, each read-only and each optional (a source the bot may not read is skipped):
- rollouts: ReplicaSets of a Deployment created in the window, with the image diff
  against the Deployment's previous ReplicaSet;
- configuration: ConfigMaps and Secrets used by a Deployment's pods (volumes, envFrom,
  env valueFrom) whose last write (managedFields) falls in the window; values are never
  read;
- scaling: HorizontalPodAutoscalers whose last scale time falls in the window;
- nodes: conditions that turned bad (Ready not True, a pressure True) in the window;
- Warning events of the namespace in the window, attributed to the workload of the
  object they are about.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import pandas as pd

from analysis.evidence import Change
from analysis.workloads import workload_of
from cluster.access import ClusterAccess
from cluster.errors import ClusterError

__all__ = ["changes_between", "config_users", "rollouts"]

Json = dict[str, Any]
REVISION = "deployment.kubernetes.io/revision"
MAX_WARNINGS = 20
MESSAGE_CHARS = 200


def _time(text: Any) -> pd.Timestamp | None:
    if not text:
        return None
    try:
        when = pd.Timestamp(str(text))
    except ValueError:
        return None
    return when.tz_localize("UTC") if when.tzinfo is None else when.tz_convert("UTC")


def _inside(when: pd.Timestamp | None, since: pd.Timestamp, until: pd.Timestamp) -> bool:
    return when is not None and since <= when <= until


def _owner(item: Json, kind: str) -> str | None:
    for ref in item["metadata"].get("ownerReferences") or []:
        if ref.get("kind") == kind:
            return str(ref.get("name"))
    return None


def _images(template: Json) -> str:
    containers = (template.get("spec") or {}).get("containers") or []
    return ", ".join(str(c.get("image", "")) for c in containers)


def _revision(item: Json) -> int:
    try:
        return int((item["metadata"].get("annotations") or {}).get(REVISION, 0))
    except ValueError:
        return 0


def rollouts(
    replica_sets: Iterable[Json], since: pd.Timestamp, until: pd.Timestamp
) -> Iterator[Change]:
    """A change per ReplicaSet created in the window by a Deployment (not its first)."""
    by_owner: dict[str, list[Json]] = {}
    for rs in replica_sets:
        owner = _owner(rs, "Deployment")
        if owner is not None:
            by_owner.setdefault(owner, []).append(rs)
    for deployment, sets in by_owner.items():
        sets.sort(key=_revision)
        for previous, current in zip(sets, sets[1:], strict=False):
            created = _time(current["metadata"].get("creationTimestamp"))
            if not _inside(created, since, until):
                continue
            assert created is not None
            yield Change(
                at=created,
                kind="rollout",
                workload=deployment,
                subject=f"Deployment/{deployment}",
                facts={
                    "image": _images(current["spec"].get("template") or {}),
                    "previous_image": _images(previous["spec"].get("template") or {}),
                    "revision": str(_revision(current)),
                },
            )


def _references(template: Json) -> Iterator[str]:
    """``ConfigMap/name`` and ``Secret/name`` used by a pod template."""
    spec = template.get("spec") or {}
    for volume in spec.get("volumes") or []:
        if "configMap" in volume:
            yield f"ConfigMap/{volume['configMap'].get('name')}"
        if "secret" in volume:
            yield f"Secret/{volume['secret'].get('secretName')}"
        for source in (volume.get("projected") or {}).get("sources") or []:
            if "configMap" in source:
                yield f"ConfigMap/{source['configMap'].get('name')}"
            if "secret" in source:
                yield f"Secret/{source['secret'].get('name')}"
    for container in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        for source in container.get("envFrom") or []:
            if "configMapRef" in source:
                yield f"ConfigMap/{source['configMapRef'].get('name')}"
            if "secretRef" in source:
                yield f"Secret/{source['secretRef'].get('name')}"
        for variable in container.get("env") or []:
            origin = variable.get("valueFrom") or {}
            if "configMapKeyRef" in origin:
                yield f"ConfigMap/{origin['configMapKeyRef'].get('name')}"
            if "secretKeyRef" in origin:
                yield f"Secret/{origin['secretKeyRef'].get('name')}"


def config_users(deployments: Iterable[Json]) -> dict[str, set[str]]:
    """``{"ConfigMap/x": {deployments using it}}``."""
    users: dict[str, set[str]] = {}
    for deployment in deployments:
        for ref in _references(deployment["spec"].get("template") or {}):
            users.setdefault(ref, set()).add(deployment["metadata"]["name"])
    return users


def _last_write(item: Json) -> pd.Timestamp | None:
    times = [_time(entry.get("time")) for entry in item["metadata"].get("managedFields") or []]
    known = [when for when in times if when is not None]
    return max(known) if known else _time(item["metadata"].get("creationTimestamp"))


def _config_changes(
    objects: Iterable[Json], users: dict[str, set[str]], since: pd.Timestamp, until: pd.Timestamp
) -> Iterator[Change]:
    for item in objects:
        subject = f"{item['kind']}/{item['metadata']['name']}"
        written = _last_write(item)
        if subject not in users or not _inside(written, since, until):
            continue
        assert written is not None
        for workload in sorted(users[subject]):
            yield Change(written, "config", workload, subject, {"name": subject})


def _scaling(hpas: Iterable[Json], since: pd.Timestamp, until: pd.Timestamp) -> Iterator[Change]:
    for hpa in hpas:
        status = hpa.get("status") or {}
        scaled = _time(status.get("lastScaleTime"))
        if not _inside(scaled, since, until):
            continue
        assert scaled is not None
        target = (hpa["spec"].get("scaleTargetRef") or {}).get("name")
        yield Change(
            scaled,
            "scaling",
            str(target) if target else None,
            f"HorizontalPodAutoscaler/{hpa['metadata']['name']}",
            {
                "from": str(status.get("currentReplicas", "")),
                "to": str(status.get("desiredReplicas", "")),
            },
        )


def _bad(condition: Json) -> bool:
    if condition.get("type") == "Ready":
        return condition.get("status") != "True"
    return condition.get("status") == "True" and str(condition.get("type", "")).endswith("Pressure")


def _node_changes(
    nodes: Iterable[Json], since: pd.Timestamp, until: pd.Timestamp
) -> Iterator[Change]:
    for node in nodes:
        for condition in (node.get("status") or {}).get("conditions") or []:
            turned = _time(condition.get("lastTransitionTime"))
            if _bad(condition) and _inside(turned, since, until):
                assert turned is not None
                yield Change(
                    turned,
                    "node",
                    None,
                    f"Node/{node['metadata']['name']}",
                    {"condition": str(condition["type"]), "status": str(condition["status"])},
                )


def _warnings(events: Iterable[Json], since: pd.Timestamp, until: pd.Timestamp) -> list[Change]:
    found = []
    for event in events:
        if event.get("type") != "Warning":
            continue
        when = _time(event.get("lastTimestamp") or event.get("eventTime"))
        if not _inside(when, since, until):
            continue
        assert when is not None
        about = event.get("involvedObject") or {}
        name = str(about.get("name", ""))
        workload = workload_of(name) if about.get("kind") == "Pod" else name
        if about.get("kind") == "ReplicaSet":
            workload = name.rsplit("-", 1)[0]
        found.append(
            Change(
                when,
                "warning",
                workload or None,
                f"{about.get('kind', '')}/{name}",
                {
                    "reason": str(event.get("reason", "")),
                    "message": " ".join(str(event.get("message", "")).split())[:MESSAGE_CHARS],
                },
            )
        )
    found.sort(key=lambda change: change.at, reverse=True)
    return found[:MAX_WARNINGS]


async def _optional(read: Any) -> list[Json]:
    """A source the bot cannot read (RBAC, not served) contributes nothing."""
    try:
        return list(await read)
    except ClusterError:
        return []


async def changes_between(
    access: ClusterAccess, namespace: str, start: datetime, end: datetime
) -> list[Change]:
    """Every change of ``namespace`` (and of the nodes) between ``start`` and ``end``."""
    since, until = pd.Timestamp(start), pd.Timestamp(end)
    deployments, replica_sets, hpas, nodes, events, configs = await asyncio.gather(
        _optional(access.deployments(namespace)),
        _optional(access.replica_sets(namespace)),
        _optional(access.hpas(namespace)),
        _optional(access.nodes()),
        _optional(access.events(namespace)),
        _optional(access.config_metadata(namespace)),
    )
    return sorted(
        [
            *rollouts(replica_sets, since, until),
            *_config_changes(configs, config_users(deployments), since, until),
            *_scaling(hpas, since, until),
            *_node_changes(nodes, since, until),
            *_warnings(events, since, until),
        ],
        key=lambda change: change.at,
    )
