"""The capabilities a production ``cloudops serve`` plugs into the runtime."""

from __future__ import annotations

import asyncio

from analysis.prometheus import PrometheusSource, load_catalogue
from bot.app import Capability, CapabilityParts
from bot.dependencies import http_probe
from bot.services import Services
from config.availability import web_search_configured
from config.settings import Settings

__all__ = ["default_capabilities", "prometheus_capability", "agents_capability"]


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

    services.extras.setdefault("dependencies", {})["prometheus"] = probe
    return CapabilityParts(stop=source.close)


def agents_capability(services: Services) -> CapabilityParts:
    """AutoGen teams over whatever capabilities are present (disabled without an LLM)."""
    from agents import Agents, LiveBackend, Usage, WebSearch

    settings = services.settings
    web = WebSearch(settings.secret("tavily_api_key")) if web_search_configured(settings) else None
    backend = LiveBackend(
        prometheus=services.prometheus,
        cluster=getattr(services.cluster, "access", services.cluster),
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
        services.extras.setdefault("dependencies", {})["llm"] = http_probe(
            f"{base}/models", headers=headers
        )
    return CapabilityParts(stop=agents.close)


def default_capabilities(settings: Settings) -> list[Capability]:
    from skills.alerts.push import push_capability
    from skills.assistant_api import assistant_api
    from skills.cluster_capability import cluster_capability
    from skills.kb import knowledge_capability
    from skills.rca_api import rca_api

    return [
        prometheus_capability,
        cluster_capability,
        knowledge_capability,
        assistant_api,
        rca_api,
        push_capability,
        agents_capability,  # last: its tools use the capabilities above
    ]
