"""Typed failures of a Prometheus source, each naming what the caller must report."""

from __future__ import annotations

from datetime import datetime

from config.scrub import scrub

__all__ = [
    "NoData",
    "PrometheusAuthError",
    "PrometheusError",
    "PrometheusQueryError",
    "PrometheusUnreachable",
]


class PrometheusError(Exception):
    """Base class of every failure raised by :mod:`analysis.prometheus`.

    Its text reaches chat cards, REST bodies and logs, so it is scrubbed once here:
    credentials in the server URL, tokens and configured secret values are masked.
    """

    def __init__(self, message: str) -> None:
        super().__init__(scrub(message))


class PrometheusUnreachable(PrometheusError):
    """The server did not answer (refused, timed out, unavailable)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"Prometheus at {url} is unreachable: {reason}")
        self.url = scrub(url)
        self.reason = scrub(reason)


class PrometheusAuthError(PrometheusUnreachable):
    """The server answered 401 or 403: the token or the credentials were refused."""


class PrometheusQueryError(PrometheusError):
    """The server rejected the query of one signal (bad PromQL, execution error)."""

    def __init__(self, signal: str, query: str, detail: str) -> None:
        super().__init__(f"query of signal {signal!r} failed: {detail} (query: {query})")
        self.signal = signal
        self.query = query
        self.detail = scrub(detail)


class NoData(PrometheusError):
    """No signal returned a series for the service in the window."""

    def __init__(self, service: str, namespace: str, start: datetime, end: datetime) -> None:
        super().__init__(
            f"no metrics for service {service!r} in namespace {namespace!r} "
            f"between {start.isoformat()} and {end.isoformat()}"
        )
        self.service = service
        self.namespace = namespace
        self.start = start
        self.end = end
