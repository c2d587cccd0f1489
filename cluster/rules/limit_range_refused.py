"""A LimitRange refuses the pods: a container asks for more (or less) than the namespace
allows per container or pod, so the controller's pod creation is forbidden."""

from __future__ import annotations

import re

from cluster.finding import Finding
from cluster.rules.quota_exceeded import refusals
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "limit_range_refused"
# The LimitRanger admission plugin's wording, e.g. "maximum memory usage per Container is
# 512Mi, but limit is 1Gi" or "minimum cpu usage per Pod is 100m, but request is 50m".
_LIMIT = re.compile(
    r"(maximum|minimum) (\S+) usage per (Container|Pod) is (\S+), but (\w+) is (\S+)"
)


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    found = [e for e in refusals(snapshot, "forbidden") if _LIMIT.search(str(e.get("message")))]
    if not found:
        return []
    latest = max(found, key=lambda e: str(e.get("lastTimestamp") or ""))
    message = str(latest["message"])
    match = _LIMIT.search(message)
    assert match is not None
    bound, resource, scope, allowed, field, asked = match.groups()
    evidence = {
        "creator": str(latest["involvedObject"].get("name", "")),
        "bound": bound,
        "resource": resource,
        "scope": scope,
        "allowed": allowed.rstrip(",]"),
        "field": field,
        "asked": asked.rstrip(",]"),
        "message": message,
    }
    return [Finding(snapshot.key, PROBLEM, evidence, "critical")]
