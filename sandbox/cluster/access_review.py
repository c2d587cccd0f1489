"""SelfSubjectAccessReview: the simulator answers "may I?" from a configurable RBAC.

Everything is allowed by default (the simulator has no users); ``Rbac.deny`` removes one
verb on one resource, in one namespace or everywhere, so tests can take a right away.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sandbox.cluster.api import Response, status_error

__all__ = ["REVIEW_PATH", "Rbac", "review"]

REVIEW_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
ANY = "*"


@dataclass
class Rbac:
    """Denied (verb, group, resource[/subresource], namespace) rules; ``*`` matches any."""

    denied: set[tuple[str, str, str, str]] = field(default_factory=set)

    def deny(self, verb: str, resource: str, *, group: str = "", namespace: str = ANY) -> None:
        self.denied.add((verb, group, resource, namespace))

    def allow_all(self) -> None:
        self.denied.clear()

    def allows(self, verb: str, group: str, resource: str, namespace: str) -> bool:
        for rule in self.denied:
            if all(
                want in (ANY, got)
                for want, got in zip(rule, (verb, group, resource, namespace), strict=True)
            ):
                return False
        return True


def review(rbac: Rbac, body: bytes) -> Response:
    try:
        request = json.loads(body or b"{}")
        attributes = request["spec"]["resourceAttributes"]
    except (ValueError, KeyError, TypeError):
        return status_error(400, "BadRequest", "spec.resourceAttributes is required")
    resource = str(attributes.get("resource") or "")
    if attributes.get("subresource"):
        resource += "/" + str(attributes["subresource"])
    allowed = rbac.allows(
        str(attributes.get("verb") or ""),
        str(attributes.get("group") or ""),
        resource,
        str(attributes.get("namespace") or ""),
    )
    status: dict[str, object] = {"allowed": allowed}
    if not allowed:
        status["reason"] = "denied by the simulator's RBAC"
    payload = {
        "kind": "SelfSubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {"creationTimestamp": None},
        "spec": request["spec"],
        "status": status,
    }
    return Response(201, json.dumps(payload).encode())
