"""Which metrics a catalogue needs, and signals built from the metrics a service does have.

``metric_names`` reads the metric selectors out of a PromQL template. ``suggest_signals``
matches the metric names found for a service's pods against known alternatives (Spring's
Micrometer, an Istio sidecar, gRPC) and returns ready ``prometheus.signals`` entries: the
catalogue's query ``or`` the alternative, so other services keep their default metrics.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from analysis.prometheus.catalogue import Catalogue, Scope, Signal

__all__ = ["ALTERNATIVES", "Alternative", "metric_names", "signals_yaml", "suggest_signals"]

# A metric selector: a name followed by "{" (functions are followed by "(").
_SELECTOR = re.compile(r"(?<![\w:])([a-zA-Z_:][a-zA-Z0-9_:]*)\{")
_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "offset"}


def metric_names(query: str) -> list[str]:
    """Metric names selected by a PromQL template, in order, without duplicates."""
    names: list[str] = []
    for name in _SELECTOR.findall(query):
        if name not in _KEYWORDS and name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class Alternative:
    """``query`` gives signal ``signal`` when a service exports ``needs`` (``source`` says
    whose convention it is)."""

    signal: str
    needs: str
    source: str
    query: str


_SPRING = "http_server_requests_seconds_count"
_ISTIO = "istio_requests_total"
_ISTIO_LATENCY = "istio_request_duration_milliseconds_bucket"
_GRPC = "grpc_server_handled_total"
_GRPC_LATENCY = "grpc_server_handling_seconds_bucket"


def _ratio(metric: str, bad: str, extra: str = "") -> str:
    return (
        f"sum(rate({metric}{{{{pods}}{extra}, {bad}}}[{{window}}]))"
        f" / sum(rate({metric}{{{{pods}}{extra}}}[{{window}}]))"
    )


def _quantile(q: str, metric: str, extra: str = "", scale: str = "") -> str:
    return (
        f"histogram_quantile({q}, sum by (le) (rate({metric}{{{{pods}}{extra}}}[{{window}}])))"
        + scale
    )


_DEST = ', reporter="destination"'
ALTERNATIVES: tuple[Alternative, ...] = (
    Alternative("request_rate", _SPRING, "Spring Boot (Micrometer)",
                f"sum(rate({_SPRING}{{{{pods}}}}[{{window}}]))"),
    Alternative("error_ratio", _SPRING, "Spring Boot (Micrometer)",
                _ratio(_SPRING, 'status=~"5.."')),
    Alternative("request_rate", _ISTIO, "Istio sidecar",
                f"sum(rate({_ISTIO}{{{{pods}}{_DEST}}}[{{window}}]))"),
    Alternative("error_ratio", _ISTIO, "Istio sidecar",
                _ratio(_ISTIO, 'response_code=~"5.."', _DEST)),
    Alternative("latency_p90_seconds", _ISTIO_LATENCY, "Istio sidecar",
                _quantile("0.9", _ISTIO_LATENCY, _DEST, " / 1000")),
    Alternative("latency_p99_seconds", _ISTIO_LATENCY, "Istio sidecar",
                _quantile("0.99", _ISTIO_LATENCY, _DEST, " / 1000")),
    Alternative("request_rate", _GRPC, "gRPC (go-grpc-prometheus)",
                f"sum(rate({_GRPC}{{{{pods}}}}[{{window}}]))"),
    Alternative("error_ratio", _GRPC, "gRPC (go-grpc-prometheus)",
                _ratio(_GRPC, 'grpc_code!="OK"')),
    Alternative("latency_p90_seconds", _GRPC_LATENCY, "gRPC (go-grpc-prometheus)",
                _quantile("0.9", _GRPC_LATENCY)),
    Alternative("latency_p99_seconds", _GRPC_LATENCY, "gRPC (go-grpc-prometheus)",
                _quantile("0.99", _GRPC_LATENCY)),
)  # fmt: skip


def suggest_signals(
    catalogue: Catalogue,
    missing: Collection[str],
    present: Collection[str],
    alternatives: Iterable[Alternative] = ALTERNATIVES,
) -> list[tuple[Signal, Alternative]]:
    """For each missing signal, the first alternative whose metric is present: a signal
    with the same name whose query is the catalogue's ``or`` the alternative."""
    known = {signal.name: signal for signal in catalogue.signals}
    found: list[tuple[Signal, Alternative]] = []
    for alternative in alternatives:
        name = alternative.signal
        if name not in missing or alternative.needs not in present:
            continue
        if any(signal.name == name for signal, _ in found):
            continue
        original = known.get(name)
        query = alternative.query
        scope: Scope = "service"
        if original is not None:
            query = f"({original.query.strip()})\nor ({alternative.query})"
            scope = original.scope
        found.append((Signal(name, query, scope), alternative))
    return found


def signals_yaml(signals: Iterable[Signal]) -> str:
    """A ``prometheus.signals`` block to paste into the CLOUDOPS_CONFIG file."""
    entries: list[dict[str, Any]] = [
        {"name": s.name, "scope": s.scope, "query": s.query} for s in signals
    ]
    if not entries:
        return ""
    return yaml.dump(
        {"prometheus": {"signals": entries}},
        Dumper=_BlockDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


class _BlockDumper(yaml.SafeDumper):
    """Multi-line queries as ``|-`` blocks, readable and pasteable."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _text)
