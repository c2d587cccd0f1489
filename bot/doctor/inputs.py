"""What every area of the doctor is given, and the shape of an area."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.doctor.result import Check
from config.settings import Settings

__all__ = ["Area", "DoctorInput"]


@dataclass(frozen=True)
class DoctorInput:
    settings: Settings
    timeout: float
    # Read only for the variables LLM fallbacks name (api_key_env); the rest is in settings.
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    extra: Mapping[str, Any] = field(default_factory=dict)  # e.g. a ready cluster client


Area = Callable[[DoctorInput], Awaitable[list[Check]]]
