"""The Alertmanager webhook payload (version 4) and what the bot reads from it."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Literal
from urllib.parse import parse_qs, urlparse

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Alert", "AlertGroup", "expression_of", "group_id", "payload_digest"]


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


def group_id(group_key: str) -> str:
    """A short stable id for a groupKey (used in store keys and button values)."""
    return hashlib.sha256(group_key.encode()).hexdigest()[:24]


def payload_digest(raw: dict[str, object]) -> str:
    """Identity of a notification: identical re-posts give the same digest."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def expression_of(generator_url: str) -> str | None:
    """The PromQL in a Prometheus ``generatorURL`` (its ``g0.expr`` parameter)."""
    if not generator_url:
        return None
    values = parse_qs(urlparse(generator_url).query).get("g0.expr")
    expr = values[0].strip() if values else ""
    return expr or None
