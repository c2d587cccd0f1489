"""What a kubernetes-client call was about, for error texts a person can act on.

``read_namespaced_deployment("fraud", "payments")`` is *get* on Deployment payments/fraud:
the RBAC verb, the kind, its plural resource name, the namespace and the name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Subject", "subject_of"]

_CALL = re.compile(
    r"^(?P<method>read|list|patch|create|delete|replace)_"
    r"(?P<namespaced>namespaced_)?(?P<resource>[a-z_]+?)(?P<all>_for_all_namespaces)?$"
)
_VERBS = {"read": "get", "list": "list", "patch": "patch", "create": "create"}
_VERBS |= {"delete": "delete", "replace": "update"}
_SUBRESOURCES = {"pod_log": ("Pod", "pods/log")}
_PLURAL_AS_IS = {"endpoints"}


@dataclass(frozen=True)
class Subject:
    verb: str  # the RBAC verb: get, list, patch ...
    kind: str  # Deployment
    resource: str  # deployments (or a subresource: pods/log)
    namespace: str = ""
    name: str = ""

    @property
    def object(self) -> str:
        """``Deployment payments/fraud``, ``Pod payments`` (a list), ``Node`` (cluster-wide)."""
        where = "/".join(part for part in (self.namespace, self.name) if part)
        return f"{self.kind} {where}".strip()


def _kind(resource: str) -> tuple[str, str]:
    if resource in _SUBRESOURCES:
        return _SUBRESOURCES[resource]
    kind = "".join(part.capitalize() for part in resource.split("_"))
    plural = kind.lower() if resource in _PLURAL_AS_IS else kind.lower() + "s"
    return kind, plural


def subject_of(call: str, args: Sequence[Any]) -> Subject | None:
    """The subject of ``call`` made with positional ``args`` (the client's order: name then
    namespace for one object, namespace for a list); None for calls it does not know."""
    found = _CALL.match(call.split(" ", 1)[0])
    if found is None:
        return None
    method, resource = found["method"], found["resource"]
    kind, plural = _kind(resource)
    values = [str(a) for a in args if isinstance(a, str)]
    one = method not in ("list", "create")
    name = values[0] if one and values else ""
    namespace = ""
    if found["namespaced"]:
        rest = values[1:] if one else values
        namespace = rest[0] if rest else ""
    return Subject(_VERBS[method], kind, plural, namespace, name)
