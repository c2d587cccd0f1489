"""Prometheus metric source: a catalogue of PromQL signals fetched into tidy frames.

source = PrometheusSource("http://prometheus:9090", token="...")
frame = source.fetch("payments", "prod", start, end)   # sync: run it in a thread
"""

from analysis.prometheus.catalogue import (
    DEFAULT_CATALOGUE_PATH,
    Catalogue,
    Signal,
    load_catalogue,
)
from analysis.prometheus.errors import (
    NoData,
    PrometheusAuthError,
    PrometheusError,
    PrometheusQueryError,
    PrometheusUnreachable,
)
from analysis.prometheus.source import PrometheusSource
from analysis.prometheus.step import choose_step
from analysis.prometheus.targets import ServiceTarget

__all__ = [
    "DEFAULT_CATALOGUE_PATH",
    "Catalogue",
    "NoData",
    "PrometheusAuthError",
    "PrometheusError",
    "PrometheusQueryError",
    "PrometheusSource",
    "PrometheusUnreachable",
    "ServiceTarget",
    "Signal",
    "choose_step",
    "load_catalogue",
]
