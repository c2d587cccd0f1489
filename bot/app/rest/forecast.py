"""``GET``/``POST /api/v1/predict``: the /forecast engine as JSON (replicas for a horizon)."""

from __future__ import annotations

import math
from datetime import UTC
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from bot.api import failed_dependency
from bot.app.parts import CapabilityParts
from bot.cards.forecast import ForecastView
from bot.registry import DependencyError, UsageError
from bot.services import Services
from skills.arguments import NAME
from skills.service_forecast import DEFAULT_HORIZON, forecast_request, run_forecast

__all__ = ["predict_api", "PredictBody"]


class PredictBody(BaseModel):
    service: str = Field(pattern=NAME.pattern)
    horizon: str = DEFAULT_HORIZON
    current_qps: float | None = Field(None, ge=0)


def _answer(view: ForecastView, horizon: str, current_qps: float | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "service": view.service,
        "namespace": view.namespace,
        "horizon": horizon,
        "instances": view.recommended,
        "current_instances": view.current,
        "qps": round(view.peak_qps, 3),
        "peak_time": view.peak_time.astimezone(UTC).isoformat(),
        "confidence": round(view.confidence, 3),
        "reason": view.reason,
        "forecast": [
            {
                "time": t.isoformat(),
                "qps": round(float(m), 3),
                "lower": round(float(lo), 3),
                "upper": round(float(hi), 3),
            }
            for t, m, lo, hi in zip(view.future, view.mean, view.lower, view.upper, strict=True)
        ],
    }
    if current_qps is not None and view.recommended and view.peak_qps > 0:
        # The same sizing applied to the caller's own measurement of the current load.
        body["instances_for_current_qps"] = max(
            1, math.ceil(view.recommended * current_qps / view.peak_qps)
        )
    return body


def predict_api(services: Services) -> CapabilityParts:
    router = APIRouter()

    async def predict(service: str, horizon: str, current_qps: float | None) -> dict[str, Any]:
        try:
            req = forecast_request([service, horizon])
        except UsageError as exc:
            raise HTTPException(422, f"{exc.key}: {exc.params}") from None
        try:
            view = await run_forecast(services, req.service, req.horizon)
        except DependencyError as exc:
            raise failed_dependency(exc) from None
        return _answer(view, req.horizon_text, current_qps)

    @router.get("/predict")
    async def predict_get(service: str, horizon: str = DEFAULT_HORIZON) -> dict[str, Any]:
        return await predict(service, horizon, None)

    @router.post("/predict")
    async def predict_post(body: PredictBody) -> dict[str, Any]:
        return await predict(body.service, body.horizon, body.current_qps)

    return CapabilityParts(api=router)
