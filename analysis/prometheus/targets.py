"""Where a service's metrics live: its namespace, its pod regex and its dependencies.

Service and namespace names come from chat users, so they are checked against the
Kubernetes name rules before they reach a query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ServiceTarget", "check_name", "parse_services", "promql_string"]

_NAME = re.compile(r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")


def check_name(kind: str, value: str) -> str:
    """Return ``value`` if it is a valid Kubernetes name, else raise ValueError."""
    if not _NAME.fullmatch(value):
        raise ValueError(
            f"{kind} {value!r} is not a Kubernetes name (lowercase a-z, 0-9, '-', '.')"
        )
    return value


def promql_string(value: str) -> str:
    """A double-quoted PromQL string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class ServiceTarget:
    """Overrides for one service; ``None`` keeps the default."""

    pod_regex: str | None = None
    namespace: str | None = None
    depends_on: tuple[str, ...] = ()

    def pods_matcher(self, service: str, namespace: str) -> str:
        """The ``{pods}`` label matcher of this service."""
        regex = self.pod_regex or f"{re.escape(service)}-.*"
        return f"namespace={promql_string(namespace)}, pod=~{promql_string(regex)}"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ServiceTarget:
        unknown = set(data) - {"pod_regex", "namespace", "depends_on"}
        if unknown:
            raise ValueError(f"unknown service key(s): {', '.join(sorted(unknown))}")
        regex = data.get("pod_regex")
        if regex is not None:
            try:
                re.compile(str(regex))
            except re.error as error:
                raise ValueError(f"pod_regex {regex!r} is not a regex: {error}") from None
        namespace = data.get("namespace")
        depends = data.get("depends_on") or ()
        if isinstance(depends, str) or not isinstance(depends, Sequence):
            raise ValueError(f"depends_on must be a list of service names, got {depends!r}")
        return cls(
            pod_regex=None if regex is None else str(regex),
            namespace=None if namespace is None else check_name("namespace", str(namespace)),
            depends_on=tuple(check_name("service", str(name)) for name in depends),
        )


def parse_services(
    services: Mapping[str, ServiceTarget | Mapping[str, Any]] | None,
) -> dict[str, ServiceTarget]:
    """Normalise a ``{service: {pod_regex, namespace, depends_on}}`` mapping."""
    parsed: dict[str, ServiceTarget] = {}
    for name, value in (services or {}).items():
        key = check_name("service", str(name))
        try:
            parsed[key] = (
                value if isinstance(value, ServiceTarget) else ServiceTarget.from_mapping(value)
            )
        except ValueError as error:
            raise ValueError(f"service {key!r}: {error}") from None
    return parsed
