"""OLM OperatorGroups: OLM installs no operator in a namespace holding more than one
(CSVs fail with TooManyOperatorGroups), nor in one with Subscriptions but none."""

from __future__ import annotations

from cluster.finding import Finding
from cluster.view import NamespaceView

KIND = "OperatorGroup"
PROBLEMS = ("operatorgroup_multiple", "operatorgroup_missing")


def check(view: NamespaceView) -> list[Finding]:
    groups = sorted(str(g["metadata"]["name"]) for g in view.operator_groups)
    if len(groups) > 1:
        evidence = {"groups": ", ".join(groups), "count": str(len(groups))}
        return [Finding(view.key(KIND, groups[0]), PROBLEMS[0], evidence, "critical")]
    subscriptions = sorted(str(s["metadata"]["name"]) for s in view.subscriptions)
    # Without leave to read OperatorGroups their absence proves nothing.
    if groups or not subscriptions or "operator_groups" in view.unreadable:
        return []
    evidence = {"subscriptions": ", ".join(subscriptions), "namespace": view.namespace}
    key = view.key("Subscription", subscriptions[0])
    return [Finding(key, PROBLEMS[1], evidence, "critical")]
