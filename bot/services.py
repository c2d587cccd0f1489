"""What skills may use: settings, state, messenger, metrics, and optional capabilities.

Capabilities (metrics source, cluster, knowledge base, agents) are ``None`` when not
configured; skills must then answer without them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.outages import Outages
from bot.registry import Registry
from bot.state import Store
from config.settings import Settings

__all__ = ["Services", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    store: Store
    messenger: Messenger
    metrics: Metrics
    registry: Registry
    bot_open_id: str = ""
    clock: Callable[[], datetime] = utc_now  # injectable "now" (tests, replayed demos)
    # Optional capabilities, filled by the app factory when configured.
    prometheus: Any = None
    cluster: Any = None
    knowledge: Any = None
    agents: Any = None
    extras: dict[str, Any] = field(default_factory=dict)
    outages: Outages = field(default_factory=Outages)  # first failure per dependency

    @property
    def lang(self) -> str:
        return self.settings.lang
