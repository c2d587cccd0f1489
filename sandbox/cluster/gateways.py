"""A Gateway API controller (``example.net/gateway-controller``) as real ones report:
GatewayClasses it accepts, Gateways of those classes with their listeners, and the
HTTPRoutes attached to them (``status.parents``). Classes of any other controller, and
Gateways of classes that do not exist, keep the API server's default: Pending."""

from __future__ import annotations

from typing import Any

from sandbox.cluster.world import Obj, World

__all__ = ["CONTROLLER", "reconcile_gateways"]

CONTROLLER = "example.net/gateway-controller"
GROUP = "gateway.networking.k8s.io"
Condition = dict[str, Any]
BACKEND = "Failed to process route rule backendRef"


def _condition(
    world: World, obj: Obj, kind: str, ok: bool | None, reason: str, message: str
) -> Condition:
    status = "Unknown" if ok is None else ("True" if ok else "False")
    return {
        "type": kind,
        "status": status,
        "reason": reason,
        "message": message,
        "observedGeneration": obj["metadata"].get("generation", 1),
        "lastTransitionTime": world.now(),
    }


def _keep_times(old: list[Condition], new: list[Condition]) -> list[Condition]:
    """A condition's lastTransitionTime moves only when its status does."""
    before = {c["type"]: c for c in old}
    return [
        {**c, "lastTransitionTime": before[c["type"]]["lastTransitionTime"]}
        if c["type"] in before and before[c["type"]]["status"] == c["status"]
        else c
        for c in new
    ]


def _pending(world: World, obj: Obj, *kinds: str) -> list[Condition]:
    return [_condition(world, obj, k, None, "Pending", "Waiting for controller") for k in kinds]


def _set_conditions(world: World, obj: Obj, conditions: list[Condition], **extra: Any) -> None:
    old = (obj.get("status") or {}).get("conditions") or []
    world.set_field(obj, "status", {"conditions": _keep_times(old, conditions), **extra})


def _class_status(world: World, gateway_class: Obj) -> None:
    spec = gateway_class["spec"]
    if spec.get("controllerName") != CONTROLLER:
        if not (gateway_class.get("status") or {}).get("conditions"):
            _set_conditions(world, gateway_class, _pending(world, gateway_class, "Accepted"))
        return
    ref = spec.get("parametersRef")
    accepted = _condition(world, gateway_class, "Accepted", True, "Accepted", "Valid GatewayClass")
    if ref and ref.get("kind") == "ConfigMap":
        found = world.get("configmaps", ref.get("namespace", ""), ref.get("name", ""))
        if found is None:
            where = f"{ref.get('namespace')}/{ref.get('name')}"
            message = f'Invalid parametersRef: ConfigMap "{where}" not found'
            accepted = _condition(
                world, gateway_class, "Accepted", False, "InvalidParameters", message
            )
    _set_conditions(world, gateway_class, [accepted])


def _accepted_class(world: World, name: str) -> bool:
    found = world.get("gatewayclasses", "", name)
    if found is None or found["spec"].get("controllerName") != CONTROLLER:
        return False
    conditions = (found.get("status") or {}).get("conditions") or []
    return any(c["type"] == "Accepted" and c["status"] == "True" for c in conditions)


def _listener_status(world: World, gateway: Obj, listener: Obj, attached: int) -> Obj:
    namespace = gateway["metadata"]["namespace"]
    missing = [
        ref.get("name", "")
        for ref in (listener.get("tls") or {}).get("certificateRefs") or []
        if world.get("secrets", ref.get("namespace", namespace), ref.get("name", "")) is None
    ]
    accepted = _condition(world, gateway, "Accepted", True, "Accepted", "Listener is accepted")
    if missing:
        message = f'Secret "{namespace}/{missing[0]}" does not exist.'
        resolved = _condition(
            world, gateway, "ResolvedRefs", False, "InvalidCertificateRef", message
        )
        programmed = _condition(
            world,
            gateway,
            "Programmed",
            False,
            "Invalid",
            "Listener is invalid, see other Conditions for details.",
        )
    else:
        resolved = _condition(
            world,
            gateway,
            "ResolvedRefs",
            True,
            "ResolvedRefs",
            "Resolved all the Object references for the Listener",
        )
        programmed = _condition(
            world,
            gateway,
            "Programmed",
            True,
            "Programmed",
            "Sending translated listener configuration to the data plane",
        )
    return {
        "name": listener["name"],
        "attachedRoutes": attached,
        "supportedKinds": [{"group": GROUP, "kind": "HTTPRoute"}],
        "conditions": [accepted, resolved, programmed],
    }


def _admits(listener: Obj, route_namespace: str, gateway_namespace: str) -> bool:
    source = ((listener.get("allowedRoutes") or {}).get("namespaces") or {}).get("from", "Same")
    return source == "All" or route_namespace == gateway_namespace


def _gateway_status(world: World, gateway: Obj, routes: list[Obj]) -> None:
    if not _accepted_class(world, gateway["spec"].get("gatewayClassName", "")):
        if not (gateway.get("status") or {}).get("conditions"):
            _set_conditions(world, gateway, _pending(world, gateway, "Accepted", "Programmed"))
        return
    meta = gateway["metadata"]
    listeners = []
    for listener in gateway["spec"].get("listeners") or []:
        attached = sum(
            1
            for route in routes
            if _parent_of(route, gateway) is not None
            and _admits(listener, route["metadata"]["namespace"], meta["namespace"])
        )
        listeners.append(_listener_status(world, gateway, listener, attached))
    conditions = [
        _condition(world, gateway, "Accepted", True, "Accepted", "The Gateway has been scheduled"),
        _condition(
            world,
            gateway,
            "Programmed",
            True,
            "Programmed",
            "Address assigned to the Gateway, 1/1 envoy replicas available",
        ),
    ]
    addresses = [{"type": "IPAddress", "value": f"172.18.0.{200 + world.serial() % 50}"}]
    old = (gateway.get("status") or {}).get("addresses")
    _set_conditions(world, gateway, conditions, addresses=old or addresses, listeners=listeners)


def _parent_of(route: Obj, gateway: Obj) -> Obj | None:
    namespace = route["metadata"]["namespace"]
    for ref in route["spec"].get("parentRefs") or []:
        if ref.get("kind", "Gateway") != "Gateway":
            continue
        if (
            ref.get("name") == gateway["metadata"]["name"]
            and ref.get("namespace", namespace) == gateway["metadata"]["namespace"]
        ):
            return ref
    return None


def _resolved(world: World, route: Obj) -> tuple[bool, str, str]:
    namespace = route["metadata"]["namespace"]
    for rule in route["spec"].get("rules") or []:
        for backend in rule.get("backendRefs") or []:
            service = world.get(
                "services", backend.get("namespace", namespace), backend.get("name", "")
            )
            if service is None:
                return (
                    False,
                    "BackendNotFound",
                    f"{BACKEND}: service {namespace}/{backend.get('name')} not found.",
                )
            ports = [p.get("port") for p in service["spec"].get("ports") or []]
            if backend.get("port") not in ports:
                return (
                    False,
                    "UnsupportedValue",
                    f"{BACKEND}: port {backend.get('port')} not found for service "
                    f"{namespace}/{backend.get('name')}.",
                )
    return True, "ResolvedRefs", "Resolved all the Object references for the Route"


def _route_status(world: World, route: Obj) -> None:
    namespace = route["metadata"]["namespace"]
    parents: list[Obj] = []
    for ref in route["spec"].get("parentRefs") or []:
        if ref.get("kind", "Gateway") != "Gateway":
            continue
        gateway = world.get("gateways", ref.get("namespace", namespace), ref.get("name", ""))
        if gateway is None or not _accepted_class(
            world, gateway["spec"].get("gatewayClassName", "")
        ):
            continue  # no controller of ours owns that parent: nobody reports on it
        listeners = gateway["spec"].get("listeners") or []
        admitted = any(_admits(li, namespace, gateway["metadata"]["namespace"]) for li in listeners)
        if admitted:
            accepted = _condition(world, route, "Accepted", True, "Accepted", "Route is accepted")
        else:
            accepted = _condition(
                world,
                route,
                "Accepted",
                False,
                "NotAllowedByListeners",
                "No listeners included by this parent ref allowed this attachment.",
            )
        ok, reason, message = _resolved(world, route)
        resolved = _condition(world, route, "ResolvedRefs", ok, reason, message)
        parents.append(
            {
                "parentRef": {"group": GROUP, "kind": "Gateway", **ref},
                "controllerName": CONTROLLER,
                "conditions": [accepted, resolved],
            }
        )
    old = {p["parentRef"].get("name"): p for p in (route.get("status") or {}).get("parents") or []}
    for parent in parents:
        before = old.get(parent["parentRef"].get("name"))
        if before is not None:
            parent["conditions"] = _keep_times(before["conditions"], parent["conditions"])
    world.set_field(route, "status", {"parents": parents})


def reconcile_gateways(world: World) -> None:
    for gateway_class in world.items("gatewayclasses"):
        _class_status(world, gateway_class)
    routes = world.items("httproutes")
    for gateway in world.items("gateways"):
        _gateway_status(world, gateway, routes)
    for route in routes:
        _route_status(world, route)
