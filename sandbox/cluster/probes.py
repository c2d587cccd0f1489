"""Whether a probe succeeds against what the image serves, with kubelet's messages."""

from __future__ import annotations

from typing import Any

from sandbox.cluster.world import ImageBehaviour

__all__ = ["probe_failure", "resolve_port"]


def resolve_port(port: Any, container: dict[str, Any]) -> int | None:
    if isinstance(port, int):
        return port
    if isinstance(port, str) and port.isdigit():
        return int(port)
    for declared in container.get("ports") or []:
        if declared.get("name") == port:
            return int(declared["containerPort"])
    return None


def probe_failure(
    probe: dict[str, Any], container: dict[str, Any], how: ImageBehaviour, ip: str
) -> str | None:
    """None when the probe passes, else the failure text kubelet reports."""
    handler = probe.get("httpGet") or probe.get("tcpSocket")
    if handler is None:
        return None  # exec / grpc probes: assume the command succeeds
    port = resolve_port(handler.get("port"), container)
    path = handler.get("path", "/") if "httpGet" in probe else None
    if port is None or port not in how.ports:
        target = f"http://{ip}:{port}{path}" if path is not None else f"{ip}:{port}"
        if path is not None:
            return f'Get "{target}": dial tcp {ip}:{port}: connect: connection refused'
        return f"dial tcp {target}: connect: connection refused"
    if path is not None and path.split("?")[0] not in how.serves:
        return "HTTP probe failed with statuscode: 404"
    return None
