"""``POST /api/v1/rca``: the /rca engine as JSON, for the legacy product's clients."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field, model_validator

from analysis.evidence import to_json
from bot.api import failed_dependency
from bot.app.parts import CapabilityParts
from bot.registry import DependencyError, UsageError
from bot.services import Services, UnknownCluster
from config.sections import CLUSTER_NAME
from skills.arguments import NAME, parse_window
from skills.namespaces import default_namespace
from skills.rca_ranking import analyse

__all__ = ["rca_api", "RcaBody"]


class RcaBody(BaseModel):
    service: str = Field(pattern=NAME.pattern)
    namespace: str | None = Field(None, pattern=NAME.pattern)
    window: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    top: int = Field(5, ge=1, le=20)
    cluster: str | None = Field(None, pattern=CLUSTER_NAME.pattern)  # default: the home one

    @model_validator(mode="after")
    def _one_way_to_say_when(self) -> RcaBody:
        if (self.start_time is None) != (self.end_time is None):
            raise ValueError("give both start_time and end_time, or neither")
        if self.start_time and self.window:
            raise ValueError("give either window or start_time/end_time")
        return self

    def bounds(self, now: datetime) -> tuple[datetime, datetime]:
        if self.start_time and self.end_time:
            start, end = (_aware(self.start_time), _aware(self.end_time))
            if not start < end:
                raise ValueError("start_time must be before end_time")
            return start, end
        end = now
        try:
            window = parse_window(self.window or "30m")
        except UsageError as exc:
            raise ValueError(f"bad window {self.window!r}") from exc
        return end - window, end


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def rca_api(services: Services) -> CapabilityParts:
    router = APIRouter()

    @router.post("/rca")
    async def rca(body: RcaBody) -> dict[str, object]:
        try:
            start, end = body.bounds(services.clock())
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        if end - start > timedelta(days=7):
            raise HTTPException(422, "the window may span at most 7 days")
        try:
            scoped = services.in_cluster(body.cluster or services.cluster_name)
        except UnknownCluster as exc:
            raise HTTPException(404, f"no cluster named {exc.name!r}") from None
        namespace = body.namespace or default_namespace(services.settings, body.service)
        try:
            _, result = await analyse(
                scoped.prometheus, body.service, namespace, start, end, top=body.top
            )
        except DependencyError as exc:
            raise failed_dependency(exc) from None
        return {
            "cluster": scoped.cluster_name,
            "service": body.service,
            "namespace": namespace,
            "start": start.isoformat(),
            "end": end.isoformat(),
            **to_json(result),
        }

    return CapabilityParts(api=router)
