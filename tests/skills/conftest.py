"""A real Prometheus backfilled with the payments incident, shared by the skill tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from sandbox.demo import BackfilledPrometheus, Scenario, healthy_scenario, incident_scenario
from sandbox.demo import openmetrics as render


@dataclass(frozen=True)
class IncidentPrometheus:
    url: str
    incident: Scenario
    healthy: Scenario


@pytest.fixture(scope="session")
def incident_prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IncidentPrometheus]:
    incident = incident_scenario(minutes=60, onset_minute=40, seed=3)
    healthy = healthy_scenario(start=incident.start, minutes=60, seed=4, pod_prefix="web")
    with BackfilledPrometheus(render(incident, healthy), tmp_path_factory.mktemp("prom")) as p:
        yield IncidentPrometheus(p.url, incident, healthy)
