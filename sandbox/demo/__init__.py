"""Demo incidents for a real Prometheus: scenario generator and backfilled server.

incident = incident_scenario()            # ledger starves, payments suffers
with BackfilledPrometheus(incident.text, workdir) as prometheus:
    source = PrometheusSource(prometheus.url, services=incident.services_config())
    frame = source.fetch("payments", "payments", incident.end - 30 min, incident.end)
"""

from sandbox.demo.backfill import BackfilledPrometheus, BackfillError, MissingBinary, find_binary
from sandbox.demo.scenario import (
    STEP_SECONDS,
    Scenario,
    healthy_scenario,
    incident_scenario,
    openmetrics,
)

__all__ = [
    "STEP_SECONDS",
    "BackfillError",
    "BackfilledPrometheus",
    "MissingBinary",
    "Scenario",
    "find_binary",
    "healthy_scenario",
    "incident_scenario",
    "openmetrics",
]
