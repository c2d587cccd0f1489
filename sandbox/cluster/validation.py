"""The API server's Deployment validation, enough to reject what a bad patch produces."""

from __future__ import annotations

from typing import Any

from cluster.quantity import parse_cpu, parse_memory
from cluster.selectors import selector_matches
from sandbox.cluster.probes import resolve_port

__all__ = ["Cause", "validate_deployment"]

Cause = dict[str, str]
_PROBE_MINIMA = {
    "periodSeconds": 1,
    "timeoutSeconds": 1,
    "failureThreshold": 1,
    "successThreshold": 1,
    "initialDelaySeconds": 0,
}


def _invalid(field: str, value: Any, detail: str) -> Cause:
    return {
        "reason": "FieldValueInvalid",
        "field": field,
        "message": f"Invalid value: {value!r}: {detail}",
    }


def validate_deployment(new: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes: list[Cause] = []
    spec = new.get("spec") or {}
    replicas = spec.get("replicas", 1)
    if not isinstance(replicas, int) or replicas < 0:
        causes.append(_invalid("spec.replicas", replicas, "must be greater than or equal to 0"))
    if old is not None and spec.get("selector") != old["spec"].get("selector"):
        causes.append(_invalid("spec.selector", spec.get("selector"), "field is immutable"))
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    if not selector_matches(spec.get("selector"), labels):
        causes.append(
            _invalid("spec.template.metadata.labels", labels, "`selector` does not match")
        )
    containers = (template.get("spec") or {}).get("containers") or []
    if not containers:
        causes.append({"reason": "FieldValueRequired", "field": "spec.template.spec.containers"})
    names: set[str] = set()
    for index, container in enumerate(containers):
        where = f"spec.template.spec.containers[{index}]"
        if not container.get("name") or container["name"] in names:
            causes.append(_invalid(f"{where}.name", container.get("name"), "missing or duplicate"))
        names.add(container.get("name", ""))
        if not container.get("image"):
            causes.append({"reason": "FieldValueRequired", "field": f"{where}.image"})
        for kind in ("readinessProbe", "livenessProbe", "startupProbe"):
            if container.get(kind) is not None:
                causes += _probe(f"{where}.{kind}", kind, container[kind], container)
        causes += _resources(f"{where}.resources", container.get("resources") or {})
    return causes


def _probe(where: str, kind: str, probe: dict[str, Any], container: dict[str, Any]) -> list[Cause]:
    causes: list[Cause] = []
    handlers = [h for h in ("httpGet", "tcpSocket", "exec", "grpc") if probe.get(h) is not None]
    if len(handlers) != 1:
        causes.append(_invalid(where, handlers, "must specify exactly one handler type"))
    for field, minimum in _PROBE_MINIMA.items():
        value = probe.get(field)
        if value is not None and (not isinstance(value, int) or value < minimum):
            causes.append(
                _invalid(f"{where}.{field}", value, f"must be greater than or equal to {minimum}")
            )
    if kind != "readinessProbe" and probe.get("successThreshold", 1) != 1:
        causes.append(_invalid(f"{where}.successThreshold", probe["successThreshold"], "must be 1"))
    handler = probe.get("httpGet") or probe.get("tcpSocket")
    if handler is not None:
        port = resolve_port(handler.get("port"), container)
        if port is None or not 0 < port < 65536:
            causes.append(
                _invalid(f"{where}.port", handler.get("port"), "must be a valid port number")
            )
        if "httpGet" in probe and not str(handler.get("path", "/")).startswith("/"):
            causes.append(_invalid(f"{where}.httpGet.path", handler.get("path"), "must be a path"))
    return causes


def _resources(where: str, resources: dict[str, Any]) -> list[Cause]:
    causes: list[Cause] = []
    parsed: dict[str, dict[str, float]] = {}
    for section in ("requests", "limits"):
        for name, value in (resources.get(section) or {}).items():
            parser = parse_cpu if name == "cpu" else parse_memory
            try:
                parsed.setdefault(section, {})[name] = parser(value)
            except ValueError:
                causes.append(
                    _invalid(
                        f"{where}.{section}[{name}]",
                        value,
                        "quantities must match the "
                        "regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                    )
                )
    for name, request in parsed.get("requests", {}).items():
        limit = parsed.get("limits", {}).get(name)
        if limit is not None and request > limit:
            value = resources["requests"][name]
            detail = f"must be less than or equal to {name} limit of {resources['limits'][name]}"
            causes.append(_invalid(f"{where}.requests", value, detail))
    return causes
