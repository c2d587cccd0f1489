"""The alert's PromQL as a chart: the compared expression and its threshold."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from typing import Any

import pandas as pd

__all__ = ["split_threshold", "chart_points"]

COMPARISON = re.compile(
    r"(>=|<=|==|!=|>|<)\s*(?:bool\s+)?([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*$"
)
MAX_SERIES, MAX_POINTS = 3, 60


def split_threshold(expr: str) -> tuple[str, float | None]:
    """``"rate(x[5m]) > 1"`` → ``("rate(x[5m])", 1.0)``, when the comparison with a number
    is at the top level; otherwise the expression unchanged and None."""
    match = COMPARISON.search(expr)
    if not match:
        return expr, None
    left = expr[: match.start()].rstrip()
    depth, quote = 0, ""
    for char in left:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'`":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
    if depth != 0 or quote or not left:
        return expr, None
    return left, float(match.group(2))


def _points(frame: pd.DataFrame) -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = []
    for entity, rows in list(frame.groupby("entity"))[:MAX_SERIES]:
        rows = rows.sort_values("timestamp")
        stride = max(1, len(rows) // MAX_POINTS)
        for when, value in zip(
            rows["timestamp"].iloc[::stride], rows["value"].iloc[::stride], strict=True
        ):
            points.append(
                {"t": int(when.timestamp()), "v": round(float(value), 4), "s": str(entity)[:80]}
            )
    return points


async def chart_points(
    source: Any, expr: str, start: datetime, end: datetime, timeout: float = 5.0
) -> tuple[list[dict[str, Any]], float | None]:
    """Chart data for ``expr``; empty when Prometheus is absent, slow or failing."""
    if source is None:
        return [], None
    query, threshold = split_threshold(expr)
    try:
        frame = await asyncio.wait_for(
            asyncio.to_thread(source.query_range_expr, query, start, end), timeout
        )
    except Exception:
        return [], None
    return _points(frame), threshold
