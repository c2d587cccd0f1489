"""Where a cluster's Prometheus is and how to log in to it: its entry's URL and the
environment variables the entry names, or, for the single cluster of a configuration
without ``clusters:``, ``PROMETHEUS_URL`` and ``PROMETHEUS_TOKEN`` / ``_USERNAME`` /
``_PASSWORD``. Used by the capability, ``cloudops clusters check`` and the doctor."""

from __future__ import annotations

import os
from dataclasses import dataclass

from config.settings import DEFAULT_CLUSTER, ClusterEntry, PrometheusEndpoint, Settings

__all__ = ["PrometheusLogin", "prometheus_login"]


@dataclass(frozen=True)
class PrometheusLogin:
    url: str
    token: str | None
    username: str | None
    password: str | None
    timeout_seconds: float | None  # the entry's own, else the ``prometheus`` section's


def prometheus_login(entry: ClusterEntry, settings: Settings) -> PrometheusLogin:
    endpoint = entry.prometheus or PrometheusEndpoint(url=settings.prometheus_base_url)
    if entry.name == DEFAULT_CLUSTER and not settings.multi_cluster:
        token = settings.secret("prometheus_token") or None
        username = settings.prometheus_username
        password = settings.secret("prometheus_password") or None
    else:  # secrets of a listed cluster: the environment variables its entry names
        token = os.environ.get(endpoint.token_env or "") or None
        username = os.environ.get(endpoint.username_env or "") or None
        password = os.environ.get(endpoint.password_env or "") or None
    return PrometheusLogin(endpoint.url, token, username, password, endpoint.timeout_seconds)
