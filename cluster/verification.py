"""Whether an applied plan beyond workloads did what it says, read back kind by kind:
a CronJob's ``suspend`` and a Node's ``unschedulable`` as set (no rollout to watch), a
re-run Job created ownerless and labelled, a deleted re-run gone, a Service's selector as
set and its Endpoints with a ready address (polled until ``timeout``)."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from cluster.access import ClusterAccess
from cluster.errors import ClusterError, NotFound
from cluster.plans import RERUN_OF, Target

__all__ = ["Outcome", "verify_object"]

Outcome = Literal["ready", "failed", "timeout"]
Json = dict[str, Any]
Check = tuple[Outcome, str, str]  # outcome, message, resource version read


def _spec(obj: Json, key: str) -> Any:
    return (obj.get("spec") or {}).get(key)


async def _switch(access: ClusterAccess, target: Target, after: Json, key: str) -> Check:
    live = await access.read(target.kind, target.namespace, target.deployment)
    wanted, now = bool(_spec(after, key)), bool(_spec(live, key))
    version = str(live["metadata"]["resourceVersion"])
    if now == wanted:
        return "ready", "", version
    return "failed", f"spec.{key} is {str(now).lower()}", version


async def _created(access: ClusterAccess, target: Target, after: Json) -> Check:
    name = str(after["metadata"]["name"])
    job = await access.read("Job", target.namespace, name)
    meta = job["metadata"]
    version = str(meta["resourceVersion"])
    if meta.get("ownerReferences"):
        return "failed", f"Job {name} has an owner", version
    if (meta.get("labels") or {}).get(RERUN_OF) != target.deployment:
        return "failed", f"Job {name} lacks the label {RERUN_OF}", version
    return "ready", "", version


async def _ready_addresses(access: ClusterAccess, target: Target) -> tuple[int, int]:
    endpoints = await access.endpoints_of(target.namespace, target.deployment) or {}
    subsets = endpoints.get("subsets") or []
    ready = sum(len(s.get("addresses") or []) for s in subsets)
    waiting = sum(len(s.get("notReadyAddresses") or []) for s in subsets)
    return ready, waiting


async def _until(timeout: float, interval: float, check: Any) -> Check:
    """Run ``check`` until it is ready or ``timeout`` passed; read errors never raise
    here (the change is applied)."""
    deadline = time.monotonic() + timeout
    last: Check = ("timeout", "", "")
    while True:
        try:
            last = await check()
            if last[0] != "timeout":
                return last
        except ClusterError as error:
            last = ("timeout", str(error), last[2])
        if time.monotonic() >= deadline:
            return last
        await asyncio.sleep(min(interval, max(0.0, deadline - time.monotonic())))


async def verify_object(
    access: ClusterAccess,
    target: Target,
    after: Json,
    applied_version: str,
    *,
    timeout: float,
    interval: float,
) -> Check:
    """``after`` is the rendered object after the change ({} for a delete)."""

    async def check() -> Check:
        if target.kind == "CronJob":
            return await _switch(access, target, after, "suspend")
        if target.kind == "Node":
            return await _switch(access, target, after, "unschedulable")
        if target.kind == "Job" and after:
            return await _created(access, target, after)
        if target.kind == "Job":
            try:
                await access.read("Job", target.namespace, target.deployment)
            except NotFound:
                return "ready", "", applied_version
            return "timeout", f"Job {target.deployment} still exists", applied_version
        service = await access.read("Service", target.namespace, target.deployment)
        version = str(service["metadata"]["resourceVersion"])
        if _spec(service, "selector") != _spec(after, "selector"):
            return "failed", "spec.selector differs from the plan", version
        ready, waiting = await _ready_addresses(access, target)
        if ready:
            return "ready", "", version
        return "timeout", f"endpoints: 0 ready, {waiting} not ready", version

    return await _until(timeout, interval, check)
