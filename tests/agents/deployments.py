"""A live-looking Deployment (API JSON) for plans to pin to."""

from __future__ import annotations

from typing import Any

from sandbox.cluster import legacy_nginx


def nginx_deployment() -> dict[str, Any]:
    deployment: dict[str, Any] = legacy_nginx()
    deployment["metadata"].update(
        resourceVersion="4711", annotations={"deployment.kubernetes.io/revision": "3"}
    )
    return deployment
