"""/forecast <service> [horizon]: request-rate forecast, peak and recommended replicas.

The request rate is the ``request_rate`` signal of the Prometheus source over the last
7 days (the step is the source's), or the PromQL configured under
``forecast.services.<service>.query``. Per-pod capacity comes from
``forecast.services.<service>.per_pod_capacity`` or is learned from the ready-pod
history (``skills.service_forecast``). ``GET|POST /api/v1/predict`` answers the same as
JSON (``bot.app.rest.forecast``).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.access import Requires, Role, Scope
from bot.cards.forecast import forecast_card
from bot.cards.notices import working_card
from bot.context import Context
from bot.registry import Registry, Skill
from skills.service_forecast import ForecastRequest, forecast_request, namespace_of, run_forecast

__all__ = ["parse", "register"]


def parse(args: Sequence[str]) -> ForecastRequest:
    return forecast_request(args)


def scope(req: ForecastRequest, ctx: Context) -> Scope:
    """The service's namespace (forecast.services, prometheus.services, default)."""
    return Scope(namespace=namespace_of(ctx.settings, req.service))


async def handle(req: ForecastRequest, ctx: Context) -> None:
    title = ctx.t("forecast.title", service=req.service)
    working_id = await ctx.working(working_card(ctx.lang, title, ctx.t("forecast.working")))
    view = await run_forecast(ctx.services, req.service, req.horizon)
    ctx.services.outages.recovered("Prometheus")
    timezone = ctx.settings.runtime.timezone
    await ctx.patch(working_id, forecast_card(view, ctx.lang, req.horizon_text, timezone))


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="forecast",
            usage_key="forecast.usage",
            summary_key="forecast.summary",
            parse=parse,
            handle=handle,
            aliases=("预测",),
            access=Requires(Role.viewer, scope=scope),
        )
    )
