"""/logs sources: the Kubernetes API through the simulator, and Loki's query_range API
mocked with respx (no Loki can run here)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx

from cluster.access import ClusterAccess
from cluster.errors import ClusterUnavailable, NotFound
from cluster.logsources import LogQuery, kubernetes_logs, loki_logs
from sandbox.cluster import KubeSimulator
from sandbox.cluster.broken import broken_kinds_world

LOKI = "http://loki.test:3100"


@pytest.fixture(scope="module")
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(broken_kinds_world()) as served:
        yield served


async def test_previous_container_of_a_crashing_statefulset(sim) -> None:
    access = ClusterAccess(sim.api_client())
    found = await kubernetes_logs(access, LogQuery("shop", "db", previous=True, since_seconds=600))
    assert found.source == "kubernetes" and found.pods == ("db-0",)
    assert "FATAL: could not open data directory" in found.text
    (request,) = [r for r in sim.requests_to("GET", r"/pods/db-0/log$") if "previous" in r.query]
    assert request.query["previous"] == ["true"] and request.query["sinceSeconds"] == ["600"]
    with pytest.raises(NotFound):
        await kubernetes_logs(access, LogQuery("shop", "nothing-here"))


@respx.mock
async def test_loki_range_query() -> None:
    body = {
        "status": "success",
        "data": {
            "resultType": "streams",
            "result": [
                {"stream": {"pod": "db-0"}, "values": [["3000", "third"], ["1000", "first"]]},
                {"stream": {"pod": "db-1"}, "values": [["2000", "second"]]},
            ],
        },
    }
    route = respx.get(f"{LOKI}/loki/api/v1/query_range").mock(
        return_value=httpx.Response(200, json=body)
    )
    query = LogQuery("shop", "db", since_seconds=600, tail=200)
    found = await loki_logs(LOKI, query, limit=1000, now=1_700_000_000.0)
    assert found.text.splitlines() == ["first", "second", "third"]
    assert found.source == "loki" and found.pods == ("db-0", "db-1")
    params = dict(route.calls.last.request.url.params)
    assert params["query"] == '{namespace="shop", pod=~"db-.*"}'
    assert int(params["end"]) - int(params["start"]) == 600 * 10**9
    assert (params["limit"], params["direction"]) == ("200", "backward")


@respx.mock
async def test_loki_failure_is_a_typed_error() -> None:
    respx.get(f"{LOKI}/loki/api/v1/query_range").mock(return_value=httpx.Response(502))
    with pytest.raises(ClusterUnavailable):
        await loki_logs(LOKI, LogQuery("shop", "db"))
