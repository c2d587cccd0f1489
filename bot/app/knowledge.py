"""The knowledge capability: opens ``services.knowledge`` and indexes it at start-up."""

from __future__ import annotations

import asyncio

import structlog

from bot.app.parts import CapabilityParts
from bot.services import Services
from config.availability import availability
from config.settings import Settings
from knowledge.default_base import knowledge_base_from_env
from knowledge.knowledge_base import KnowledgeBase

__all__ = ["knowledge_capability", "knowledge_environment", "open_knowledge_base"]

log = structlog.get_logger(__name__)


def knowledge_environment(settings: Settings) -> dict[str, str]:
    """The variables ``knowledge.default_base`` reads, from the settings: the optional
    embeddings endpoint and Weaviate only when ``config.availability`` finds them."""
    env = {"CLOUDOPS_DATA_DIR": str(settings.data_path)}
    if settings.cloudops_knowledge_dir:
        env["CLOUDOPS_KNOWLEDGE_DIR"] = str(settings.cloudops_knowledge_dir)
    configured = availability(settings)
    if configured.embeddings:
        env["EMBEDDINGS_BASE_URL"] = settings.embeddings_base_url or ""
        env["EMBEDDINGS_MODEL"] = settings.embeddings_model or ""
        env["EMBEDDINGS_API_KEY"] = settings.secret("embeddings_api_key")
    if configured.weaviate:
        env["WEAVIATE_URL"] = settings.weaviate_url or ""
        if settings.weaviate_api_key:
            env["WEAVIATE_API_KEY"] = settings.secret("weaviate_api_key")
    return env


def open_knowledge_base(settings: Settings) -> KnowledgeBase:
    """Files: CLOUDOPS_KNOWLEDGE_DIR or the starter runbooks; index: <data dir>/knowledge."""
    return knowledge_base_from_env(knowledge_environment(settings))


def knowledge_capability(services: Services) -> CapabilityParts:
    kb = open_knowledge_base(services.settings)
    services.knowledge = kb

    async def start() -> None:
        try:
            report = await asyncio.to_thread(kb.refresh)
        except Exception:
            log.exception("knowledge_refresh_failed")
            return
        log.info("knowledge_refreshed", **report.counts())

    return CapabilityParts(start=start)
