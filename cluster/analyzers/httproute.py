"""HTTPRoutes (Gateway API): a parent Gateway that does not exist or whose listeners
admit no route from this namespace, a route its Gateway did not accept, backend Services
that do not exist or do not expose the port, references the controller could not resolve.

Backends in another namespace (they need a ReferenceGrant) and parents that are not
Gateways (a mesh's Service) are left to the controller's ``status.parents`` conditions."""

from __future__ import annotations

from cluster.analyzers.conditions import condition_in, cut
from cluster.finding import Finding
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "HTTPRoute"
PROBLEMS = (
    "httproute_gateway_missing",
    "httproute_not_allowed",
    "httproute_not_accepted",
    "httproute_backend_missing",
    "httproute_backend_port",
    "httproute_refs_unresolved",
)
GATEWAY_GROUP = "gateway.networking.k8s.io"


def _is_gateway(ref: Json) -> bool:
    return ref.get("kind", "Gateway") == "Gateway" and ref.get("group", GATEWAY_GROUP) in (
        GATEWAY_GROUP,
        "",
    )


def _admits(listener: Json, route_namespace: str, gateway_namespace: str) -> bool:
    """Whether a listener's allowedRoutes lets an HTTPRoute of ``route_namespace`` attach.
    ``Selector`` needs the namespace's labels: left to the controller (counted as yes)."""
    allowed = listener.get("allowedRoutes") or {}
    kinds = allowed.get("kinds")
    if kinds and not any(k.get("kind") == KIND for k in kinds):
        return False
    if not kinds and listener.get("protocol") not in (None, "HTTP", "HTTPS"):
        return False  # TCP/TLS/UDP listeners take only their own route kinds by default
    source = (allowed.get("namespaces") or {}).get("from", "Same")
    return source != "Same" or route_namespace == gateway_namespace


def _listeners_for(gateway: Json, ref: Json) -> list[Json]:
    listeners = (gateway.get("spec") or {}).get("listeners") or []
    section, port = ref.get("sectionName"), ref.get("port")
    return [
        listener
        for listener in listeners
        if (section is None or listener.get("name") == section)
        and (port is None or listener.get("port") == port)
    ]


def _parent_label(ref: Json, namespace: str) -> str:
    return f"{ref.get('namespace') or namespace}/{ref.get('name', '')}"


def _parent_findings(view: NamespaceView, route: Json, key: str) -> tuple[list[Finding], set[str]]:
    """Findings about the route's parents, and the parents already explained by them."""
    name, namespace = str(route["metadata"]["name"]), view.namespace
    gateways = {
        (str(g["metadata"].get("namespace", namespace)), str(g["metadata"]["name"])): g
        for g in view.gateways
    }
    findings: list[Finding] = []
    explained: set[str] = set()
    if "gateways" in view.unreadable:
        return findings, explained
    for ref in (route.get("spec") or {}).get("parentRefs") or []:
        if not _is_gateway(ref):
            continue
        label = _parent_label(ref, namespace)
        gateway = gateways.get((str(ref.get("namespace") or namespace), str(ref.get("name"))))
        if gateway is None:
            evidence = {"route": name, "gateway": label}
            findings.append(Finding(key, PROBLEMS[0], evidence, "critical"))
            explained.add(label)
            continue
        gateway_namespace = str(gateway["metadata"].get("namespace", namespace))
        listeners = _listeners_for(gateway, ref)
        if listeners and not any(_admits(li, namespace, gateway_namespace) for li in listeners):
            sources = sorted(
                {
                    str(
                        ((li.get("allowedRoutes") or {}).get("namespaces") or {}).get(
                            "from", "Same"
                        )
                    )
                    for li in listeners
                }
            )
            evidence = {"route": name, "gateway": label, "allowed": ", ".join(sources)}
            findings.append(Finding(key, PROBLEMS[1], evidence, "critical"))
            explained.add(label)
    return findings, explained


def _backend_findings(view: NamespaceView, route: Json, key: str) -> list[Finding]:
    name = str(route["metadata"]["name"])
    services = {str(s["metadata"]["name"]): s for s in view.services}
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for rule in (route.get("spec") or {}).get("rules") or []:
        for backend in rule.get("backendRefs") or []:
            if backend.get("kind", "Service") != "Service" or backend.get("group", "") != "":
                continue
            if backend.get("namespace", view.namespace) != view.namespace:
                continue  # needs a ReferenceGrant; the controller's ResolvedRefs tells
            service_name, port = str(backend.get("name", "")), str(backend.get("port", ""))
            if (service_name, port) in seen:
                continue
            seen.add((service_name, port))
            service = services.get(service_name)
            evidence = {"route": name, "service": service_name, "port": port}
            if service is None:
                findings.append(Finding(key, PROBLEMS[3], evidence, "critical"))
                continue
            ports = [str(p.get("port")) for p in (service.get("spec") or {}).get("ports") or []]
            if port and port not in ports:
                evidence["ports"] = ", ".join(ports)
                findings.append(Finding(key, PROBLEMS[4], evidence, "critical"))
    return findings


def _status_findings(
    route: Json, key: str, namespace: str, explained: set[str], backends_known: bool
) -> list[Finding]:
    """What the controllers wrote in ``status.parents``, unless already explained."""
    name = str(route["metadata"]["name"])
    findings: list[Finding] = []
    for parent in (route.get("status") or {}).get("parents") or []:
        label = _parent_label(parent.get("parentRef") or {}, namespace)
        conditions = parent.get("conditions") or []
        accepted, resolved = (
            condition_in(conditions, "Accepted"),
            condition_in(conditions, "ResolvedRefs"),
        )
        if accepted.get("status") == "False" and label not in explained:
            evidence = {
                "route": name,
                "gateway": label,
                "reason": str(accepted.get("reason", "")),
                "message": cut(accepted.get("message")),
            }
            findings.append(Finding(key, PROBLEMS[2], evidence, "critical"))
        if resolved.get("status") == "False" and not backends_known:
            evidence = {
                "route": name,
                "gateway": label,
                "reason": str(resolved.get("reason", "")),
                "message": cut(resolved.get("message")),
            }
            findings.append(Finding(key, PROBLEMS[5], evidence, "critical"))
            backends_known = True  # once per route: every parent reports the same refs
    return findings


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for route in view.http_routes:
        key = view.key(KIND, str(route["metadata"]["name"]))
        parents, explained = _parent_findings(view, route, key)
        backends = _backend_findings(view, route, key)
        status = _status_findings(route, key, view.namespace, explained, bool(backends))
        findings += parents + backends + status
    return findings
