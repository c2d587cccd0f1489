"""A real Prometheus holding three services that export different metrics, the fake
Feishu platform and the cluster simulator: the first hour of a real install."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from sandbox.cluster import KubeSimulator, World
from sandbox.demo import BackfilledPrometheus, Scenario, healthy_scenario
from sandbox.demo.openmetrics import Family, Series, render_openmetrics

# Only cAdvisor's CPU and memory: no kube-state-metrics, no HTTP metrics.
CPU_AND_MEMORY = {"container_cpu_usage_seconds", "container_memory_working_set_bytes"}
SPRING = "http_server_requests_seconds"


def only(scenario: Scenario, families: set[str]) -> Scenario:
    return replace(scenario, families=tuple(f for f in scenario.families if f.name in families))


def spring(scenario: Scenario) -> Scenario:
    """The scenario's pods as a Spring Boot app: Micrometer's histogram names, no
    ``http_requests_total``."""

    def renamed(family: Family) -> Family:
        series = tuple(
            Series(s.name.replace("http_request_duration_seconds", SPRING), s.labels,
                   s.timestamps, s.values)
            for s in family.series
        )  # fmt: skip
        return Family(SPRING, family.type, family.help, series)

    kept = [f for f in scenario.families if f.name != "http_requests"]
    return replace(
        scenario,
        families=tuple(
            renamed(f) if f.name == "http_request_duration_seconds" else f for f in kept
        ),
    )


@dataclass(frozen=True)
class Metrics:
    url: str
    full: Scenario  # every catalogue metric (no mesh)
    partial: Scenario  # CPU and memory only
    springy: Scenario  # Spring's metric names


@pytest.fixture(scope="session")
def metrics(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Metrics]:
    full = healthy_scenario("storefront", "shop", minutes=30, seed=5)
    partial = only(
        healthy_scenario("billing", "billing", start=full.start, minutes=30, seed=6),
        CPU_AND_MEMORY,
    )
    springy = spring(healthy_scenario("orders", "orders", start=full.start, minutes=30, seed=7))
    text = render_openmetrics(f for s in (full, partial, springy) for f in s.families)
    with BackfilledPrometheus(text, tmp_path_factory.mktemp("doctor-prom")) as prometheus:
        yield Metrics(prometheus.url, full, partial, springy)


@pytest.fixture
def simulator() -> Iterator[KubeSimulator]:
    with KubeSimulator(World()) as sim:
        yield sim


def write_config(path: Path, config: dict[str, Any]) -> str:
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return str(path)
