"""Ingresses: a backend Service or port that does not exist, a missing TLS Secret, an
IngressClass nobody defined."""

from __future__ import annotations

from collections.abc import Iterator

from cluster.finding import Finding
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "Ingress"
PROBLEMS = (
    "ingress_backend_missing",
    "ingress_backend_port_missing",
    "ingress_tls_secret_missing",
    "ingress_class_missing",
)
CLASS_ANNOTATION = "kubernetes.io/ingress.class"


def _backends(spec: Json) -> Iterator[tuple[str, Json]]:
    """(host/path, service backend) for the default backend and every rule path."""
    default = (spec.get("defaultBackend") or {}).get("service")
    if default:
        yield "*", default
    for rule in spec.get("rules") or []:
        for path in (rule.get("http") or {}).get("paths") or []:
            service = (path.get("backend") or {}).get("service")
            if service:
                yield f"{rule.get('host', '*')}{path.get('path', '/')}", service


def _has_port(service: Json, port: Json) -> bool:
    ports = (service.get("spec") or {}).get("ports") or []
    if "number" in port:
        return any(p.get("port") == port["number"] for p in ports)
    return any(p.get("name") == port.get("name") for p in ports)


def check(view: NamespaceView) -> list[Finding]:
    services = {s["metadata"]["name"]: s for s in view.services}
    classes = {c["metadata"]["name"] for c in view.ingress_classes}
    findings: list[Finding] = []
    for ingress in view.ingresses:
        spec = ingress.get("spec") or {}
        name = str(ingress["metadata"]["name"])
        key = view.key(KIND, name)
        annotations = ingress["metadata"].get("annotations") or {}
        wanted = spec.get("ingressClassName") or annotations.get(CLASS_ANNOTATION)
        if wanted and wanted not in classes:
            evidence = {"ingress": name, "ingress_class": str(wanted)}
            findings.append(Finding(key, PROBLEMS[3], evidence, "critical"))
        for route, backend in _backends(spec):
            service_name = str(backend.get("name"))
            port = backend.get("port") or {}
            port_text = str(port.get("number", port.get("name", "")))
            evidence = {"ingress": name, "route": route, "service": service_name}
            evidence["port"] = port_text
            if service_name not in services:
                findings.append(Finding(key, PROBLEMS[0], evidence, "critical"))
            elif port and not _has_port(services[service_name], port):
                findings.append(Finding(key, PROBLEMS[1], evidence, "critical"))
        # Only when Secrets could be listed can we say one is missing.
        if view.secret_names is None:
            continue
        for tls in spec.get("tls") or []:
            secret = tls.get("secretName")
            if secret and secret not in view.secret_names:
                hosts = ", ".join(tls.get("hosts") or [])
                evidence = {"ingress": name, "secret": str(secret), "hosts": hosts}
                findings.append(Finding(key, PROBLEMS[2], evidence, "critical"))
    return findings
