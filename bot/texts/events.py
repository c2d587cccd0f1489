"""Kubernetes events of a deployment as chat lines, from the message catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from messages import t

__all__ = ["MAX_EVENTS", "event_lines"]

MAX_EVENTS = 15
Json = dict[str, Any]


def _owned(items: Sequence[Json], uids: set[str]) -> list[Json]:
    return [
        item
        for item in items
        if any(ref.get("uid") in uids for ref in item["metadata"].get("ownerReferences") or [])
    ]


def event_lines(
    deployment: Json,
    replica_sets: Sequence[Json],
    pods: Sequence[Json],
    events: Sequence[Json],
    lang: str,
) -> list[str]:
    """Events on the deployment, its ReplicaSets and their pods: warnings first, newest first."""
    owned_rs = _owned(replica_sets, {deployment["metadata"]["uid"]})
    owned_pods = _owned(pods, {rs["metadata"]["uid"] for rs in owned_rs})
    uids = {deployment["metadata"]["uid"]} | {o["metadata"]["uid"] for o in owned_rs + owned_pods}
    mine = [e for e in events if (e.get("involvedObject") or {}).get("uid") in uids]
    mine.sort(key=lambda e: str(e.get("lastTimestamp") or e.get("eventTime") or ""), reverse=True)
    mine.sort(key=lambda e: e.get("type") != "Warning")
    return [
        t(
            "fix.event_line",
            lang,
            type=e.get("type", ""),
            reason=e.get("reason", ""),
            kind=e["involvedObject"].get("kind", ""),
            name=e["involvedObject"].get("name", ""),
            message=str(e.get("message", ""))[:200],
            count=e.get("count") or 1,
        )
        for e in mine[:MAX_EVENTS]
    ]
