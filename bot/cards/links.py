"""Pure builders of the links on alert and RCA cards: the same time window in Grafana and
Prometheus, and Alertmanager's new-silence page with the alert's matchers.

Every builder returns an http(s) URL or ``None`` (no base, or a base that is not a web
address), so a card never carries a link a client would refuse or run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

__all__ = [
    "web_url",
    "grafana_url",
    "prometheus_graph_url",
    "prometheus_window_url",
    "silence_url",
    "matcher_filter",
    "range_text",
]

_UNSAFE = frozenset(' "()[]<>{}|\\^`')


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address with a host and no character a markdown or
    card parser could trip on; else ``None``."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if any(c in _UNSAFE or ord(c) < 33 for c in url):
        return None
    return url


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _with_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` set (replacing those of the same name, keeping the rest)."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query = urlencode([*kept, *params.items()], quote_via=quote)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def grafana_url(
    base: str | None,
    dashboard: str | None,
    start: datetime,
    end: datetime,
    variables: Mapping[str, str] | None = None,
) -> str | None:
    """A dashboard over ``start``..``end`` (``from``/``to`` in epoch milliseconds).

    ``dashboard`` is a uid (``/d/<uid>``), a path below ``base`` (``/d/abc/payments``)
    or a whole http(s) URL; ``variables`` become ``var-<name>`` parameters."""
    if not dashboard:
        return None
    if dashboard.startswith(("http://", "https://")):
        target = dashboard
    else:
        root = web_url(base)
        if root is None:
            return None
        path = dashboard if dashboard.startswith("/") else f"/d/{quote(dashboard, safe='')}"
        target = root.rstrip("/") + path
    params = {"from": str(_ms(start)), "to": str(_ms(end))}
    params.update({f"var-{k}": v for k, v in (variables or {}).items() if v})
    return web_url(_with_query(target, params)) if web_url(target) else None


def range_text(seconds: float) -> str:
    """A Prometheus duration for the graph's range (``1h30m``, ``45s``); at least 1s."""
    left = max(1, math.ceil(seconds))
    text = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, left = divmod(left, size)
        if count:
            text += f"{count}{unit}"
    return text


def _graph_params(expr: str, start: datetime, end: datetime) -> dict[str, str]:
    return {
        "g0.expr": expr,
        "g0.tab": "0",  # the graph, not the table
        "g0.range_input": range_text((end - start).total_seconds()),
        "g0.end_input": end.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }


def prometheus_graph_url(base: str | None, expr: str, start: datetime, end: datetime) -> str | None:
    """Prometheus' graph page for ``expr`` over ``start``..``end`` (range and end time)."""
    root = web_url(base)
    if root is None or not expr.strip():
        return None
    return web_url(_with_query(root.rstrip("/") + "/graph", _graph_params(expr, start, end)))


def prometheus_window_url(generator_url: str | None, start: datetime, end: datetime) -> str | None:
    """An alert's ``generatorURL`` (Prometheus' graph of the rule's expression) showing the
    graph over ``start``..``end``; without an expression it is returned as it is."""
    if not generator_url:
        return None
    parts = urlsplit(generator_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    expr = dict(parse_qsl(parts.query)).get("g0.expr", "")
    if not expr.strip():
        return web_url(generator_url)
    return web_url(_with_query(generator_url, _graph_params(expr, start, end)))


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def matcher_filter(labels: Mapping[str, str]) -> str:
    """The labels as Alertmanager's filter syntax: ``{alertname="X",severity="page"}``."""
    return "{" + ",".join(f"{k}={_quoted(v)}" for k, v in sorted(labels.items())) + "}"


def silence_url(base: str | None, labels: Mapping[str, str]) -> str | None:
    """Alertmanager's new-silence page, its matchers filled from ``labels``."""
    root = web_url(base)
    if root is None or not labels:
        return None
    fragment = "/silences/new?filter=" + quote(matcher_filter(labels), safe="")
    return root.rstrip("/") + "/#" + fragment
