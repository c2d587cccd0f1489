"""The capabilities a production ``cloudops serve`` plugs into the runtime."""

from __future__ import annotations

import asyncio

from analysis.prometheus import PrometheusSource
from bot.app import Capability, CapabilityParts
from bot.services import Services
from config.settings import Settings

__all__ = ["default_capabilities", "prometheus_capability"]


def prometheus_capability(services: Services) -> CapabilityParts:
    settings = services.settings
    source = PrometheusSource(
        settings.prometheus_base_url,
        token=settings.secret("prometheus_token") or None,
        username=settings.prometheus_username,
        password=settings.secret("prometheus_password") or None,
        timeout=settings.prometheus.timeout_seconds,
        catalogue=settings.prometheus.signals,
        services=settings.prometheus.services,
    )
    services.prometheus = source

    async def probe() -> None:
        await asyncio.to_thread(source.ping)

    services.extras["readiness"]["prometheus"] = probe
    return CapabilityParts(stop=source.close)


def default_capabilities(settings: Settings) -> list[Capability]:
    from skills.rca_api import rca_api

    return [prometheus_capability, rca_api]
