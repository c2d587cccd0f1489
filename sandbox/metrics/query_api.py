"""A Prometheus-compatible ``/api/v1/query`` and ``/api/v1/query_range`` answering from
the demo scenario's samples, for machines without the prometheus binary."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from sandbox.demo import Scenario
from sandbox.metrics.promql_eval import SeriesStore, StoredSeries, Vector, evaluate
from sandbox.metrics.promql_parse import duration_seconds

__all__ = ["store_of", "query_api"]

MAX_POINTS = 11_000  # Prometheus refuses more points per series


def store_of(scenarios: Iterable[Scenario]) -> SeriesStore:
    return SeriesStore(
        StoredSeries({"__name__": s.name, **s.labels}, s.timestamps, s.values)
        for scenario in scenarios
        for family in scenario.families
        for s in family.series
    )


def _time(text: str | None, default: float) -> float:
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _step(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return duration_seconds(text) or math.nan


def _error(message: str) -> JSONResponse:
    return JSONResponse(
        {"status": "error", "errorType": "bad_data", "error": message}, status_code=400
    )


def _success(kind: str, result: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse({"status": "success", "data": {"resultType": kind, "result": result}})


def _evaluate(query: str, store: SeriesStore, steps: np.ndarray) -> Vector:
    value = evaluate(query, store, steps)
    return value if isinstance(value, dict) else {(): np.full(len(steps), value)}


def query_api(store: SeriesStore) -> FastAPI:
    app = FastAPI()

    @app.get("/-/ready")
    async def ready() -> PlainTextResponse:
        return PlainTextResponse("Prometheus Server is Ready.\n")

    @app.api_route("/api/v1/query_range", methods=["GET", "POST"])
    async def query_range(request: Request) -> JSONResponse:
        params = dict(request.query_params)
        try:
            start, end = _time(params.get("start"), 0), _time(params.get("end"), 0)
            step = _step(str(params.get("step", "")))
            if not step > 0 or end < start or (end - start) / step > MAX_POINTS:
                return _error("bad start, end or step")
            steps = np.arange(start, end + step / 2, step)
            vector = _evaluate(str(params.get("query", "")), store, steps)
        except ValueError as exc:
            return _error(f"parse error: {exc}")
        result = []
        for labels, values in sorted(vector.items()):
            keep = ~np.isnan(values)
            if keep.any():
                points = [
                    [float(t), format(float(v), ".10g")]
                    for t, v in zip(steps[keep], values[keep], strict=True)
                ]
                result.append({"metric": dict(labels), "values": points})
        return _success("matrix", result)

    @app.api_route("/api/v1/query", methods=["GET", "POST"])
    async def query(request: Request) -> JSONResponse:
        params = dict(request.query_params)
        try:
            when = _time(str(params.get("time") or ""), time.time())
            vector = _evaluate(str(params.get("query", "")), store, np.array([when]))
        except ValueError as exc:
            return _error(f"parse error: {exc}")
        result = [
            {"metric": dict(labels), "value": [when, format(float(values[0]), ".10g")]}
            for labels, values in sorted(vector.items())
            if not np.isnan(values[0])
        ]
        return _success("vector", result)

    return app
