"""One real Prometheus per session, backfilled with an incident (a CPU-starved
dependency), a network-delay incident (only the mesh sees it) and a healthy service,
plus a loopback HTTP server that records what the client sends."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from analysis.prometheus import PrometheusSource
from sandbox.demo import BackfilledPrometheus, Scenario, healthy_scenario, incident_scenario
from sandbox.demo import openmetrics as render

# 90 minutes so that a whole-scenario query needs a step above 15 s to stay under 300 points.
MINUTES, ONSET_MINUTE = 90, 70


@dataclass(frozen=True)
class Backfilled:
    url: str
    incident: Scenario
    delayed: Scenario
    healthy: Scenario
    timings: dict[str, float]


@pytest.fixture(scope="session")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backfilled]:
    incident = incident_scenario(minutes=MINUTES, onset_minute=ONSET_MINUTE, seed=0)
    delayed = incident_scenario(
        namespace="mesh",
        start=incident.start,
        minutes=MINUTES,
        onset_minute=ONSET_MINUTE,
        seed=2,
        fault="network_delay",
    )
    healthy = healthy_scenario(start=incident.start, minutes=MINUTES, seed=1, pod_prefix="web")
    workdir = tmp_path_factory.mktemp("prometheus")
    with BackfilledPrometheus(render(incident, delayed, healthy), workdir) as server:
        yield Backfilled(server.url, incident, delayed, healthy, server.timings)


@pytest.fixture
def source_for(backfilled: Backfilled) -> Iterator[Callable[..., PrometheusSource]]:
    made: list[PrometheusSource] = []

    def make(**options: Any) -> PrometheusSource:
        source = PrometheusSource(backfilled.url, **options)
        made.append(source)
        return source

    yield make
    for source in made:
        source.close()


@dataclass
class Recorder:
    """What the loopback server received, and what it answers."""

    status: int = 200
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def body(self, path: str) -> dict[str, Any]:
        if path.startswith("/api/v1/query_range"):
            values = [[1700000000 + 15 * i, str(float(i))] for i in range(4)]
            result: list[dict[str, Any]] = [{"metric": {"pod": "api-1"}, "values": values}]
            return {"status": "success", "data": {"resultType": "matrix", "result": result}}
        vector = [{"metric": {}, "value": [1700000000, "1"]}]
        return {"status": "success", "data": {"resultType": "vector", "result": vector}}


@pytest.fixture
def recorder() -> Iterator[tuple[str, Recorder]]:
    state = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            state.requests.append((self.path, dict(self.headers.items())))
            payload = json.dumps(
                state.body(self.path) if state.status == 200 else {"status": "error"}
            ).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()
    server.server_close()
