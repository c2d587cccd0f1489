"""The ranking behind /rca and its REST twin: fetch a service's signals from Prometheus
and rank what broke first; say which signals were used and which the service lacks."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from analysis.evidence import RcaResult
from analysis.prometheus import NoData, PrometheusQueryError, PrometheusUnreachable
from analysis.prometheus.discovery import metric_names
from analysis.ranking import rank_root_causes
from bot.registry import DependencyError, DependencyFailure
from messages import t
from skills.prometheus_failures import not_configured, prometheus_failure

__all__ = ["analyse", "signals_note"]


def _signals(source: Any) -> list[Any]:
    """The source's non-mesh catalogue signals (none for a source without a catalogue)."""
    catalogue = getattr(source, "catalogue", None)
    return [s for s in getattr(catalogue, "signals", ()) if s.scope != "edge"]


def _named(signals: Sequence[Any]) -> str:
    return "; ".join(f"{s.name} ({', '.join(metric_names(s.query))})" for s in signals)


def signals_note(source: Any, service: str, frame: pd.DataFrame, lang: str) -> str:
    """Which signals the answer used and which the service lacks (with their metric names);
    empty when none is missing. Mesh (edge) signals are optional and not listed."""
    signals = _signals(source)
    absent = {name for owner, name in frame.attrs.get("missing", []) if owner == service}
    missing = [s for s in signals if s.name in absent]
    if not missing:
        return ""
    present = set(frame["metric"].unique())
    used = ", ".join(s.name for s in signals if s.name in present) or "-"
    return "\n".join(
        (
            t("rca.signals_used", lang, used=used),
            t("rca.signals_missing", lang, missing=_named(missing)),
        )
    )


async def analyse(
    source: Any,
    service: str,
    namespace: str,
    start: datetime,
    end: datetime,
    top: int = 5,
    *,
    lang: str = "en-US",
) -> tuple[pd.DataFrame, RcaResult]:
    """Fetch and rank; Prometheus failures become a DependencyError naming the cause (for
    no data: every signal tried, with its metric names)."""
    if source is None:
        raise not_configured(lang)
    try:
        frame = await asyncio.to_thread(source.fetch, service, namespace, start, end)
    except (PrometheusUnreachable, PrometheusQueryError) as exc:
        raise prometheus_failure(exc, lang) from exc
    except NoData as exc:
        tried = _named(_signals(source)) or "-"
        detail = t("rca.no_signals", lang, service=service, namespace=exc.namespace, tried=tried)
        raise DependencyError("Prometheus", detail, failure=DependencyFailure.NO_DATA) from exc
    result = await asyncio.to_thread(rank_root_causes, frame, None, top)
    return frame, result
