"""What skills may use: settings, state, messenger, metrics, and optional capabilities.

Capabilities (metrics source, cluster, knowledge base, agents, Alertmanager) are ``None``
when not configured; skills must then answer without them. Each is typed by a protocol
below that says exactly what skills call; the composition root (``bot.app``) fills them in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot.access.guard import DepartmentDirectory
from bot.dependencies import Probe
from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.outages import Outages
from bot.state import Store
from config.settings import DEFAULT_CLUSTER, Settings

if TYPE_CHECKING:  # for annotations only: a skill that needs none of these does not load them
    import pandas as pd

    from agents import (
        AgentsStatus,
        FixProposal,
        GroundedAnswer,
        PlanSink,
        Postmortem,
        RcaReport,
        ResearchAnswer,
    )
    from cluster import ClusterAccess
    from knowledge.index.protocol import Hit
    from knowledge.knowledge_base import RefreshReport

__all__ = [
    "Agents",
    "Alertmanager",
    "Cluster",
    "ClusterCapabilities",
    "UnknownCluster",
    "Knowledge",
    "MetricsSource",
    "Services",
    "utc_now",
]


def utc_now() -> datetime:
    return datetime.now(UTC)


class MetricsSource(Protocol):
    """``services.prometheus`` (``analysis.prometheus.PrometheusSource``)."""

    def fetch(self, service: str, namespace: str, start: datetime, end: datetime) -> pd.DataFrame:
        """Every catalogue signal of ``service`` as a tidy frame."""
        ...

    def query_range_expr(self, expr: str, start: datetime, end: datetime) -> pd.DataFrame:
        """Any PromQL expression as a tidy frame."""
        ...


class Cluster(Protocol):
    """``services.cluster`` (``bot.app.cluster.ClusterService``)."""

    @property
    def access(self) -> ClusterAccess: ...

    async def events_for_deployment(self, namespace: str, deployment: str) -> list[str]:
        """Event lines of the deployment, its ReplicaSets and pods, for chat."""
        ...


class Knowledge(Protocol):
    """``services.knowledge`` (``knowledge.KnowledgeBase``)."""

    @property
    def root(self) -> Path: ...

    def refresh(self) -> RefreshReport: ...

    def list_sources(self) -> list[str]: ...

    def search(self, query: str, top_k: int = 5) -> list[Hit]: ...

    def ingest_bytes(self, name: str, content: bytes) -> list[str]: ...


class Agents(Protocol):
    """``services.agents`` (``agents.Agents``): every entry point returns None when no
    LLM is configured (``status`` is "disabled" then)."""

    @property
    def status(self) -> AgentsStatus: ...

    async def narrate_rca(
        self, evidence: dict[str, Any], question: str = "", *, lang: str | None = None
    ) -> RcaReport | None: ...

    async def propose_fix(
        self,
        diagnosis: dict[str, Any],
        *,
        namespace: str,
        deployment: str,
        plan_sink: PlanSink,
        lang: str | None = None,
    ) -> FixProposal | None: ...

    async def research(
        self, question: str, use_web: bool = True, *, lang: str | None = None
    ) -> ResearchAnswer | None: ...

    async def grounded_answer(
        self,
        question: str,
        passages: Sequence[str],
        history: Sequence[tuple[str, str]] = (),
        *,
        lang: str | None = None,
    ) -> GroundedAnswer | None: ...

    async def write_postmortem(
        self, draft: str, *, lang: str | None = None
    ) -> Postmortem | None: ...


class Alertmanager(Protocol):
    """``services.alertmanager`` (``skills.alerts.silence.AlertmanagerClient``)."""

    async def silence(
        self,
        labels: Mapping[str, str],
        *,
        starts: datetime,
        duration: timedelta,
        created_by: str,
        comment: str,
    ) -> str: ...

    async def alerts(self) -> list[dict[str, Any]]: ...

    async def silences(self) -> list[dict[str, Any]]: ...

    async def get_silence(self, silence_id: str) -> dict[str, Any] | None: ...

    async def expire(self, silence_id: str) -> None: ...


class UnknownCluster(LookupError):
    """A cluster name that is not configured (``--cluster``, a stale button, a path)."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(name)
        self.name = name
        self.known = list(known)


@dataclass
class ClusterCapabilities:
    """What one cluster brings: its Prometheus, API server, Alertmanager and agents (whose
    tools read that cluster), and its link bases. Filled by the composition root."""

    name: str
    prometheus: MetricsSource | None = None
    cluster: Cluster | None = None
    alertmanager: Alertmanager | None = None
    agents: Agents | None = None
    grafana_url: str | None = None
    prometheus_url: str | None = None
    alertmanager_url: str | None = None
    timezone: str | None = None


def _described(name: str, settings: Settings) -> ClusterCapabilities:
    entry = next(e for e in settings.cluster_entries() if e.name == name)
    return ClusterCapabilities(
        name,
        grafana_url=entry.grafana_url or settings.grafana_base_url,
        prometheus_url=entry.prometheus.url if entry.prometheus else None,
        alertmanager_url=entry.alertmanager_url,
        timezone=entry.timezone,
    )


@dataclass
class Services:
    settings: Settings
    store: Store
    messenger: Messenger
    metrics: Metrics
    bot_open_id: str = ""
    clock: Callable[[], datetime] = utc_now  # injectable "now" (tests, replayed demos)
    # Optional capabilities, filled by the composition root (bot.app) when configured.
    prometheus: MetricsSource | None = None
    cluster: Cluster | None = None
    knowledge: Knowledge | None = None
    agents: Agents | None = None
    alertmanager: Alertmanager | None = None  # silences and alerts (ALERTMANAGER_URL)
    departments: DepartmentDirectory | None = None  # for department grants (bot.access)
    # What accepting work needs (/readyz) and what skills use (/healthz?verbose=1, metrics).
    readiness: dict[str, Probe] = field(default_factory=dict)
    dependencies: dict[str, Probe] = field(default_factory=dict)
    doctor: dict[str, Any] | None = None  # the start-up doctor's results, as JSON
    outages: Outages = field(default_factory=Outages)  # first failure per dependency
    # Every configured cluster's capabilities; the fields above are those of
    # ``cluster_name`` (the home cluster, or the one a request is about: ``in_cluster``).
    clusters: dict[str, ClusterCapabilities] = field(default_factory=dict)
    cluster_name: str = DEFAULT_CLUSTER

    @property
    def lang(self) -> str:
        return self.settings.lang

    def grafana_base(self) -> str | None:
        """The Grafana of this cluster (``clusters[].grafana_url``), else ``GRAFANA_URL``."""
        parts = self.clusters.get(self.cluster_name)
        return (parts.grafana_url if parts else None) or self.settings.grafana_base_url

    def slot(self, name: str) -> ClusterCapabilities:
        """The capabilities of cluster ``name``, created on first use with what its entry
        says (links, time zone); the composition root fills in the rest."""
        if name not in self.clusters:
            self.clusters[name] = _described(name, self.settings)
        return self.clusters[name]

    def in_cluster(self, name: str) -> Services:
        """These services as seen by a request about cluster ``name``: the same state,
        messenger and settings, that cluster's Prometheus, API server, Alertmanager and
        agents. Raises :class:`UnknownCluster` for a name that is not configured."""
        known = self.settings.cluster_names
        if name not in known:
            raise UnknownCluster(name, known)
        if name == self.cluster_name:
            return self
        parts = self.clusters.get(name) or _described(name, self.settings)
        messenger = self.messenger.about(name) if self.settings.multi_cluster else self.messenger
        return replace(
            self,
            settings=self.settings.in_timezone(parts.timezone),
            cluster_name=name,
            messenger=messenger,
            prometheus=parts.prometheus,
            cluster=parts.cluster,
            alertmanager=parts.alertmanager,
            agents=parts.agents,
        )

    def about_every_cluster(self) -> Services:
        """These services for an answer about several clusters (``--clusters``): the cards
        sent name no single cluster in their header (their buttons name their own)."""
        if self.messenger.cluster is None:
            return self
        return replace(self, messenger=replace(self.messenger, cluster=None))
