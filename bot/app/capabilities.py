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
from bot.dependencies import http_probe
from bot.jobs import Clock, system_clock
from bot.services import Services
from config.availability import web_search_configured

__all__ = [
    "agents_capability",
    "default_capabilities",
    "prometheus_capability",
    "push_capabilities",
]


def prometheus_capability(services: Services) -> CapabilityParts:
    settings = services.settings
    source = PrometheusSource(
        settings.prometheus_base_url,
        token=settings.secret("prometheus_token") or None,
        username=settings.prometheus_username,
        password=settings.secret("prometheus_password") or None,
        timeout=settings.prometheus.timeout_seconds,
        catalogue=load_catalogue().extended(settings.prometheus.signals or ()),
        services=settings.prometheus.services,
    )
    services.prometheus = source

    async def probe() -> None:
        await asyncio.to_thread(source.ping)

    services.dependencies["prometheus"] = probe
    return CapabilityParts(stop=source.close)


def agents_capability(services: Services) -> CapabilityParts:
    """AutoGen teams over whatever capabilities are present (disabled without an LLM)."""
    from agents import Agents, LiveBackend, Usage, WebSearch  # AutoGen: imported when used

    settings = services.settings
    web = WebSearch(settings.secret("tavily_api_key")) if web_search_configured(settings) else None
    backend = LiveBackend(
        prometheus=services.prometheus,
        cluster=services.cluster.access if services.cluster is not None else None,
        knowledge=services.knowledge,
        web=web,
        now=services.clock,
    )
    metrics = services.metrics

    def observe(usage: Usage | None) -> None:
        if usage is None:
            metrics.llm_errors.inc()
            return
        metrics.llm_tokens.labels(direction="prompt").inc(usage.prompt_tokens)
        metrics.llm_tokens.labels(direction="completion").inc(usage.completion_tokens)

    agents = Agents.from_settings(settings, backend=backend, observer=observe)
    services.agents = agents
    if agents.config is not None:  # GET /models: answers without spending tokens
        endpoint = agents.config.primary
        base = (endpoint.base_url or "https://api.openai.com/v1").rstrip("/")
        key = endpoint.api_key.get_secret_value()
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        services.dependencies["llm"] = http_probe(f"{base}/models", headers=headers)
    return CapabilityParts(stop=agents.close)


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
