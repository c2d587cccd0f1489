"""The one place that decides which optional parts are configured: the LLM, web search,
Alertmanager, Loki, Redis, an embeddings endpoint and Weaviate. Every consumer
(capabilities, skills, the doctor) asks here.

Configured is not reachable: the doctor and the dependency probes find that out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from config.settings import Settings

__all__ = ["Availability", "availability", "llm_configured", "web_search_configured"]


def llm_configured(settings: Settings) -> bool:
    """A model (``LLM_MODEL`` or ``llm.model``) or at least one fallback endpoint
    (``LLM_FALLBACKS``, which replaces ``llm.fallbacks``). Without one: no LLM, and every
    skill answers deterministically."""
    if settings.llm_model or settings.llm.model:
        return True
    raw = settings.secret("llm_fallbacks")
    if raw:
        try:
            return bool(json.loads(raw))
        except json.JSONDecodeError:
            return True  # configured, wrongly: agents.config names the error
    return bool(settings.llm.fallbacks)


def web_search_configured(settings: Settings) -> bool:
    """A Tavily key (``TAVILY_API_KEY``); web research also needs the LLM."""
    return bool(settings.secret("tavily_api_key"))


@dataclass(frozen=True)
class Availability:
    llm: bool
    web_search: bool  # the key only: research needs ``llm`` too
    alertmanager_api: bool  # ALERTMANAGER_URL: Silence buttons, /alerts, /silences
    alert_webhook: bool  # ALERTMANAGER_WEBHOOK_TOKEN: POST /alertmanager accepts alerts
    loki: bool  # LOKI_URL: /logs reads Loki instead of the Kubernetes API
    redis: bool  # REDIS_URL: scale-out mode
    embeddings: bool  # EMBEDDINGS_BASE_URL and EMBEDDINGS_MODEL: dense retrieval
    weaviate: bool  # WEAVIATE_URL: Weaviate instead of the embedded index

    @property
    def web_research(self) -> bool:
        return self.llm and self.web_search


def availability(settings: Settings) -> Availability:
    return Availability(
        llm=llm_configured(settings),
        web_search=web_search_configured(settings),
        alertmanager_api=bool((settings.alertmanager_url or "").strip()),
        alert_webhook=bool(settings.secret("alertmanager_webhook_token").strip()),
        loki=bool(settings.loki_url),
        redis=bool(settings.secret("redis_url")),
        embeddings=bool(settings.embeddings_base_url and settings.embeddings_model),
        weaviate=bool(settings.weaviate_url),
    )
