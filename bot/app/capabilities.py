"""The capabilities a production ``cloudops serve`` plugs into the runtime, in order."""

from __future__ import annotations

import asyncio
import functools

from analysis.prometheus import PrometheusSource, load_catalogue
from bot.app.cluster import cluster_capability
from bot.app.jobs import scheduled_jobs
from bot.app.knowledge import knowledge_capability
from bot.app.parts import Capability, CapabilityParts
from bot.app.rest.assistant import assistant_api
from bot.app.rest.forecast import predict_api
from bot.app.rest.rca import rca_api
from bot.app.webhooks import alertmanager_webhook
from bot.dependencies import dependency_key, http_probe
from bot.jobs import Clock, system_clock
from bot.prometheus_login import prometheus_login
from bot.services import Cluster, MetricsSource, Services
from config.availability import web_search_configured
from config.settings import ClusterEntry, Settings

__all__ = [
    "agents_capability",
    "default_capabilities",
    "prometheus_capability",
    "prometheus_source",
    "push_capabilities",
]


def prometheus_source(
    entry: ClusterEntry, settings: Settings, *, timeout: float | None = None
) -> PrometheusSource:
    """The Prometheus of one cluster entry, with its credentials; ``timeout`` overrides the
    configured one (``cloudops clusters check`` bounds each check by the doctor's)."""
    login = prometheus_login(entry, settings)
    return PrometheusSource(
        login.url,
        token=login.token,
        username=login.username,
        password=login.password,
        timeout=timeout or login.timeout_seconds or settings.prometheus.timeout_seconds,
        catalogue=load_catalogue().extended(settings.prometheus.signals or ()),
        services=settings.prometheus.services,
    )


def prometheus_capability(services: Services) -> CapabilityParts:
    """``services.prometheus`` of every cluster (a cluster without ``prometheus:`` uses
    the ``prometheus`` section's URL)."""
    settings = services.settings
    sources: list[PrometheusSource] = []
    for entry in settings.cluster_entries():
        source = prometheus_source(entry, settings)
        sources.append(source)
        slot = services.slot(entry.name)
        slot.prometheus = source
        slot.prometheus_url = source.url
        if entry.name == services.cluster_name:
            services.prometheus = source

        async def probe(source: PrometheusSource = source) -> None:
            await asyncio.to_thread(source.ping)

        services.dependencies[dependency_key("prometheus", entry.name, settings)] = probe

    def close() -> None:
        for source in sources:
            source.close()

    return CapabilityParts(stop=close)


def agents_capability(services: Services) -> CapabilityParts:
    """AutoGen teams over whatever capabilities are present (disabled without an LLM);
    one per cluster, whose tools read that cluster's Prometheus and API server."""
    from agents import Agents, LiveBackend, Usage, WebSearch  # AutoGen: imported when used

    settings = services.settings
    web = WebSearch(settings.secret("tavily_api_key")) if web_search_configured(settings) else None
    metrics = services.metrics

    def observe(usage: Usage | None) -> None:
        if usage is None:
            metrics.llm_errors.inc()
            return
        metrics.llm_tokens.labels(direction="prompt").inc(usage.prompt_tokens)
        metrics.llm_tokens.labels(direction="completion").inc(usage.completion_tokens)

    def team(prometheus: MetricsSource | None, cluster: Cluster | None) -> Agents:
        backend = LiveBackend(
            prometheus=prometheus,
            cluster=cluster.access if cluster is not None else None,
            knowledge=services.knowledge,
            web=web,
            now=services.clock,
        )
        return Agents.from_settings(settings, backend=backend, observer=observe)

    agents = team(services.prometheus, services.cluster)
    services.agents = agents
    made = [agents]
    for name in settings.cluster_names:
        slot = services.slot(name)
        if name == services.cluster_name:
            slot.agents = agents
        else:
            slot.agents = team(slot.prometheus, slot.cluster)
            made.append(slot.agents)
    if agents.config is not None:  # GET /models: answers without spending tokens
        endpoint = agents.config.primary
        base = (endpoint.base_url or "https://api.openai.com/v1").rstrip("/")
        key = endpoint.api_key.get_secret_value()
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        services.dependencies["llm"] = http_probe(f"{base}/models", headers=headers)

    async def close() -> None:
        for each in made:
            await each.close()

    return CapabilityParts(stop=close)


def push_capabilities(*, clock: Clock = system_clock) -> list[Capability]:
    """What pushes into chats: the Alertmanager webhook, the scheduled jobs (digests,
    scans, escalation, housekeeping) and ``/api/v1/predict``; tests inject the clock."""
    return [
        functools.partial(alertmanager_webhook, clock=clock),
        functools.partial(scheduled_jobs, clock=clock),
        predict_api,
    ]


def default_capabilities() -> list[Capability]:
    return [
        prometheus_capability,
        cluster_capability,
        knowledge_capability,
        assistant_api,
        rca_api,
        *push_capabilities(),
        agents_capability,  # last: its tools use the capabilities above
    ]
