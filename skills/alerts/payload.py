"""The Alertmanager webhook payload (version 4) and what the bot reads from it."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Literal
from urllib.parse import parse_qs, urlparse

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Alert",
    "AlertGroup",
    "cluster_digest",
    "expression_of",
    "group_id",
    "labelled_cluster",
    "payload_digest",
]


class Alert(BaseModel):
    model_config = ConfigDict(extra="ignore")

    status: Literal["firing", "resolved"]
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    startsAt: datetime  # noqa: N815 (Alertmanager's field names)
    endsAt: datetime | None = None  # noqa: N815
    generatorURL: str = ""  # noqa: N815
    fingerprint: str = ""


class AlertGroup(BaseModel):
    model_config = ConfigDict(extra="ignore")

    version: Literal["4"]
    groupKey: str = Field(min_length=1, max_length=2000)  # noqa: N815
    truncatedAlerts: int = 0  # noqa: N815
    status: Literal["firing", "resolved"]
    receiver: str = ""
    groupLabels: dict[str, str] = Field(default_factory=dict)  # noqa: N815
    commonLabels: dict[str, str] = Field(default_factory=dict)  # noqa: N815
    commonAnnotations: dict[str, str] = Field(default_factory=dict)  # noqa: N815
    externalURL: str = ""  # noqa: N815
    alerts: list[Alert] = Field(min_length=1, max_length=1000)

    @property
    def labels(self) -> dict[str, str]:
        """The labels every alert of the group shares (the group labels included)."""
        return {**self.groupLabels, **self.commonLabels}


def group_id(group_key: str, cluster: str | None = None) -> str:
    """A short stable id for a groupKey (used in store keys and button values); with
    several clusters, of the groupKey within ``cluster`` (two clusters' Alertmanagers may
    send the same groupKey: each gets its own card)."""
    scoped = group_key if cluster is None else f"{cluster}\n{group_key}"
    return hashlib.sha256(scoped.encode()).hexdigest()[:24]


def labelled_cluster(group: AlertGroup, label: str) -> str | None:
    """The cluster the group's label ``label`` names (common labels, then group labels)."""
    for labels in (group.commonLabels, group.groupLabels):
        value = labels.get(label, "").strip()
        if value:
            return value
    return None


def payload_digest(raw: dict[str, object]) -> str:
    """Identity of a notification: identical re-posts give the same digest."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def cluster_digest(digest: str, cluster: str) -> str:
    """The identity of a notification about ``cluster`` (several clusters): the same body
    posted for two clusters is two notifications."""
    return hashlib.sha256(f"{cluster}\n{digest}".encode()).hexdigest()


def expression_of(generator_url: str) -> str | None:
    """The PromQL in a Prometheus ``generatorURL`` (its ``g0.expr`` parameter)."""
    if not generator_url:
        return None
    values = parse_qs(urlparse(generator_url).query).get("g0.expr")
    expr = values[0].strip() if values else ""
    return expr or None
