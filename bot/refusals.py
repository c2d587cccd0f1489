"""Refused HTTP requests: counted always, logged in one line, at a bounded rate.

An unauthenticated sender must not be able to flood the log: at most ``burst`` refusal
lines per ``period`` seconds are written; the next line written says how many were held
back. Every refusal is counted in ``cloudops_events_rejected{reason}`` regardless.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import structlog

from bot.metrics import Metrics

__all__ = ["Refusals", "refusal_body"]

log = structlog.get_logger("bot.refusals")


def refusal_body(reason: str) -> bytes:
    return json.dumps({"msg": reason}).encode()


class Refusals:
    def __init__(
        self,
        metrics: Metrics,
        *,
        burst: int = 10,
        period: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._metrics = metrics
        self._burst = burst
        self._period = period
        self._clock = clock
        self._lock = threading.Lock()
        self._window_start = clock()
        self._written = 0
        self._held_back = 0

    def record(self, status: int, reason: str, **fields: Any) -> None:
        """Count the refusal and log it unless the rate limit holds it back."""
        self._metrics.rejected.labels(reason=reason).inc()
        with self._lock:
            now = self._clock()
            if now - self._window_start >= self._period:
                self._window_start, self._written = now, 0
            if self._written >= self._burst:
                self._held_back += 1
                return
            self._written += 1
            held_back, self._held_back = self._held_back, 0
        if held_back:
            fields["held_back"] = held_back
        log.warning("request_refused", reason=reason, status=status, **fields)
