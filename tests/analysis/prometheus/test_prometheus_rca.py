"""End to end: backfilled incident -> PrometheusSource.fetch -> rank_root_causes."""

from __future__ import annotations

from datetime import timedelta

from analysis.ranking import rank_root_causes

RCA_WINDOW = timedelta(minutes=30)


def test_ranking_puts_the_cpu_starved_dependency_first(backfilled, source_for) -> None:
    incident = backfilled.incident
    source = source_for(services=incident.services_config())
    frame = source.fetch("payments", "payments", incident.end - RCA_WINDOW, incident.end)
    result = rank_root_causes(frame)

    assert result.top is not None
    assert result.top.entity in incident.pods[incident.culprit]
    assert result.top.metric in {"cpu_throttled_ratio", "cpu_usage_cores"}
    assert result.top.direction == "up"
    assert abs(result.incident_start - incident.onset) <= timedelta(minutes=1)
    payments = next(c for c in result.candidates if c.entity == "payments")
    assert payments.metric.startswith("latency") or payments.metric == "error_ratio"
    assert payments.onset >= incident.onset + timedelta(minutes=2)
    healthy = {pod for name in ("fraud", "accounts") for pod in incident.pods[name]}
    assert not any(c.entity in healthy | {"fraud", "accounts"} for c in result.candidates[:4])


def test_healthy_service_scores_far_below_the_incident(backfilled, source_for) -> None:
    # The ranking's verdict on pure noise is not asserted: with NO_ANOMALY_BELOW = 0.2 it
    # reports weak "root causes" (about 0.3) on some seeds; see benchmarks/results/prometheus.md.
    incident, healthy = backfilled.incident, backfilled.healthy
    config = {**incident.services_config(), **healthy.services_config()}
    source = source_for(services=config)
    sick = rank_root_causes(
        source.fetch("payments", "payments", incident.end - RCA_WINDOW, incident.end)
    )
    calm = rank_root_causes(
        source.fetch("storefront", "shop", healthy.end - RCA_WINDOW, healthy.end)
    )
    assert sick.top is not None
    assert all(c.score < sick.top.score / 2 for c in calm.candidates)


def test_a_delayed_dependency_is_found_through_the_mesh_edges(backfilled, source_for) -> None:
    # ledger's own pods and metrics stay flat; only payments' calls to it slow down.
    delayed = backfilled.delayed
    source = source_for(services=delayed.services_config())
    frame = source.fetch("payments", "mesh", delayed.end - RCA_WINDOW, delayed.end)
    result = rank_root_causes(frame)

    scored = [c for c in result.candidates if c.score > 0]
    names = [c.entity for c in scored]
    assert "ledger" in names[:2]
    ledger = scored[names.index("ledger")]
    assert ledger.metric == "call_latency_p90_ms (payments->ledger)"
    assert ledger.direction == "up"
    assert abs(ledger.onset - delayed.onset) <= timedelta(minutes=1)
    others = {"fraud", "accounts"} | {p for n in ("fraud", "accounts") for p in delayed.pods[n]}
    assert not any(name in others for name in names[: names.index("ledger")])

    blind = rank_root_causes(frame[~frame["entity"].str.contains("->", regex=False)])
    assert "ledger" not in {c.entity for c in blind.candidates if c.score > 0}
