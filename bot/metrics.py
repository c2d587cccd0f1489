"""The bot's own Prometheus metrics, on an injectable registry."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

__all__ = ["Metrics"]


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.events = Counter(
            "cloudops_events_received", "Feishu events received", ["kind"], registry=r
        )
        self.duplicates = Counter(
            "cloudops_events_duplicate", "Deliveries dropped as duplicates", registry=r
        )
        self.rejected = Counter(
            "cloudops_events_rejected",
            "Requests refused by verification",
            ["reason"],
            registry=r,
        )
        self.skill_latency = Histogram(
            "cloudops_skill_latency_seconds",
            "Time a skill or card action took",
            ["skill"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
            registry=r,
        )
        self.errors = Counter("cloudops_errors", "Errors by kind", ["kind"], registry=r)
        self.feishu_errors = Counter(
            "cloudops_feishu_api_errors", "Feishu API errors by code", ["code"], registry=r
        )
        self.llm_tokens = Counter(
            "cloudops_llm_tokens", "LLM tokens used", ["direction"], registry=r
        )
        self.llm_errors = Counter("cloudops_llm_errors", "LLM call failures", registry=r)
        self.approvals = Counter(
            "cloudops_approvals", "Approval decisions by outcome", ["outcome"], registry=r
        )
        self.access_refused = Counter(
            "cloudops_access_refused",
            "Commands and buttons refused by the access policy",
            ["handler", "reason"],
            registry=r,
        )
        self.resumed = Counter(
            "cloudops_deliveries_resumed",
            "Deliveries a dead replica left half-answered, by what became of them",
            ["outcome"],
            registry=r,
        )

        # Incident response per on-call team (``none``: a route without a team): from the
        # alert card's first firing to its claim, and to its resolution.
        response = (60, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400, 259200)
        self.time_to_acknowledge = Histogram(
            "cloudops_incident_time_to_acknowledge_seconds",
            "Time from an alert group firing to its claim",
            ["team"],
            buckets=response,
            registry=r,
        )
        self.time_to_resolve = Histogram(
            "cloudops_incident_time_to_resolve_seconds",
            "Time from an alert group firing to its resolution",
            ["team"],
            buckets=response,
            registry=r,
        )

        # 1 when the dependency answered its last probe (Prometheus, kubernetes, llm,
        # alertmanager); `cluster` is "" for what belongs to no cluster (the LLM).
        self.dependency_up = Gauge(
            "cloudops_dependency_up",
            "Whether a dependency answered its last probe",
            ["cluster", "dependency"],
            registry=r,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
