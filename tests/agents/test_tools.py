"""Tools over real parts: the kubernetes client against the simulated API server.

Every tool is enumerated and called; the server must see only reads.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator

import pytest

from agents.tools import PROPOSE_TOOL, READ_TOOLS, LiveBackend, ToolSet, build_tools
from cluster.access import ClusterAccess
from sandbox.cluster import DEMO_IMAGES, KubeSimulator, World, legacy_nginx, step
from sandbox.cluster.manifests import node, service
from tests.agents.conftest import PlanStore


@pytest.fixture(scope="module")
def sim() -> Iterator[KubeSimulator]:
    world = World(images=dict(DEMO_IMAGES))
    world.add(node("node-1"))
    world.add(legacy_nginx())
    world.add(service("default", "nginx", {"app": "nginx"}, 80, 80))
    for _ in range(5):
        step(world)
    with KubeSimulator(world) as simulator:
        yield simulator


@pytest.fixture
def access(sim: KubeSimulator) -> Iterator[ClusterAccess]:
    made = ClusterAccess(sim.api_client(), request_timeout=5)
    yield made
    made.api_client.close()


ARGUMENTS = {
    "query_metrics": {"service": "nginx", "namespace": "default"},
    "rank_root_causes": {"service": "nginx", "namespace": "default"},
    "list_pods": {"namespace": "default"},
    "list_events": {"namespace": "default"},
    "read_logs": {"namespace": "default", "pod": "POD", "container": "nginx"},
    "run_diagnosis": {"namespace": "default", "deployment": "nginx"},
    "search_knowledge": {"query": "readiness probe"},
    "web_search": {"query": "readiness probe"},
    PROPOSE_TOOL: {
        "plan_json": json.dumps(
            {
                "namespace": "default",
                "deployment": "nginx",
                "operations": [{"op": "scale_replicas", "replicas": 3}],
            }
        ),
        "rationale": "more capacity",
    },
}


async def test_every_tool_only_reads_the_cluster(sim: KubeSimulator, access) -> None:
    store = PlanStore()
    tool_set = ToolSet(LiveBackend(cluster=access), plan_sink=store)
    tools = build_tools(tool_set, (*READ_TOOLS, PROPOSE_TOOL))
    assert {t.name for t in tools} == set(ARGUMENTS)  # the whole catalogue is exercised
    pods = json.loads((await tool_set.list_pods("default")).split("\n", 1)[1].rsplit("\n", 1)[0])
    ARGUMENTS["read_logs"]["pod"] = pods[0]["name"]
    sim.requests.clear()
    for tool in tools:
        await tool.run_json(ARGUMENTS[tool.name], cancellation_token=None)  # type: ignore[arg-type]
    methods = {r.method for r in sim.requests}
    assert methods == {"GET"}, [(r.method, r.path) for r in sim.requests if r.method != "GET"]
    assert len(sim.requests) >= 5
    assert list(store.plans) == ["plan-1"]  # stored for approval, not applied
    assert sim.world.get("deployments", "default", "nginx")["spec"]["replicas"] == 2


async def test_tool_outputs_are_delimited_untrusted_data(access) -> None:
    tool_set = ToolSet(LiveBackend(cluster=access))
    output = await tool_set.run_diagnosis("default", "nginx")
    assert output.startswith('<untrusted-data source="run_diagnosis">')
    assert output.endswith("</untrusted-data>")
    assert "probe" in output  # the legacy nginx's readiness probe hits a missing path
    assert tool_set.ledger.names() == ["run_diagnosis"]


async def test_missing_dependencies_are_reported_to_the_model_not_raised() -> None:
    tool_set = ToolSet(LiveBackend())
    output = await tool_set.query_metrics("payments", "shop")
    assert "unavailable: Prometheus is not configured" in output
    assert tool_set.ledger.calls[0].ok is False


async def test_unknown_deployment_is_an_error_result(access) -> None:
    tool_set = ToolSet(LiveBackend(cluster=access))
    output = await tool_set.run_diagnosis("default", "ghost")
    assert "error: NotFound" in output


def test_no_tool_name_or_signature_suggests_a_mutation() -> None:
    verbs = ("delete", "apply", "patch", "create", "exec", "scale", "restart", "kubectl")
    functions = ToolSet(LiveBackend()).functions()
    for name, function in functions.items():
        assert not any(v in name for v in verbs), name
        assert inspect.iscoroutinefunction(function)
    assert set(functions) == {*READ_TOOLS, PROPOSE_TOOL}


def test_unknown_tool_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown tool"):
        build_tools(ToolSet(LiveBackend()), ["kubectl_delete"])
