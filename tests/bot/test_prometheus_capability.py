"""prometheus_capability: the configured signals extend the default catalogue."""

from __future__ import annotations

from pathlib import Path

import yaml

from analysis.prometheus import PrometheusSource, load_catalogue
from bot.app.capabilities import prometheus_capability
from bot.services import Services
from config.settings import load_settings


def test_configured_signals_extend_and_override_the_default_catalogue(tmp_path: Path) -> None:
    linkerd = {
        "name": "call_latency_p90_ms",
        "scope": "edge",
        "caller_label": "deployment",
        "callee_label": "dst_deployment",
        "query": "histogram_quantile(0.9, sum by (le, deployment, dst_deployment) (x))",
    }
    extra = {"name": "grpc_errors", "scope": "service", "query": "sum(y{{pods}})"}
    config = tmp_path / "cloudops.yaml"
    config.write_text(yaml.safe_dump({"prometheus": {"signals": [linkerd, extra]}}))
    settings = load_settings({"CLOUDOPS_CONFIG": str(config)})
    services = Services(settings, None, None, None)  # type: ignore[arg-type]  # unused here

    parts = prometheus_capability(services)
    try:
        assert isinstance(services.prometheus, PrometheusSource)
        signals = {signal.name: signal for signal in services.prometheus.catalogue.signals}
        defaults = {signal.name for signal in load_catalogue().signals}
        assert set(signals) == defaults | {"grpc_errors"}
        assert signals["call_latency_p90_ms"].caller_label == "deployment"
        assert signals["call_latency_p90_ms"].query == linkerd["query"]
        assert "prometheus" in services.dependencies
    finally:
        assert parts.stop is not None
        parts.stop()
