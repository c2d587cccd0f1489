"""The fix team: stops on an accepted plan, retries a refused one, never applies anything."""

from __future__ import annotations

import json

import pytest

from agents import AgentFailed, Agents, RecordedBackend
from tests.agents.conftest import PlanStore
from tests.agents.deployments import nginx_deployment
from tests.agents.scripts import replay, text, tool_call

DIAGNOSIS = {
    "target": "default/Deployment/nginx",
    "findings": [{"problem": "probe_failing", "evidence": {"path": "/health", "status": "404"}}],
}


def backend(**extra: object) -> RecordedBackend:
    return RecordedBackend({"deployment": nginx_deployment(), **extra})


def plan(ops: list[dict], **fields: object) -> dict:
    return {
        "plan_json": json.dumps(
            {
                "namespace": "default",
                "deployment": "nginx",
                "problem": "probe_failing",
                "operations": ops,
                **fields,
            }
        ),
        "rationale": "readiness probes a missing path",
    }


PROBE_FIX = [{"op": "patch_probe", "container": "nginx", "kind": "readiness", "path": "/"}]


async def propose(client, store: PlanStore, backend_=None):
    agents = Agents(None, backend=backend_ or backend(), client_factory=lambda: client)
    return await agents.propose_fix(
        DIAGNOSIS, namespace="default", deployment="nginx", plan_sink=store, lang="en"
    )


async def test_accepted_plan_stops_the_team_and_is_stored_pending(plan_store) -> None:
    client = replay(
        tool_call("run_diagnosis", {"namespace": "default", "deployment": "nginx"}),
        tool_call("propose_fix_plan", plan(PROBE_FIX), "c2"),
        text("this reply must never be requested"),
    )
    proposal = await propose(client, plan_store, backend(diagnose=DIAGNOSIS))
    assert proposal is not None and proposal.plan_id == "plan-1"
    assert proposal.tools_called == ["run_diagnosis", "propose_fix_plan"]
    stored, rationale = plan_store.plans["plan-1"]
    assert stored.to_dict() == proposal.plan
    assert stored.target.resource_version == "4711"  # pinned to the live state
    assert [op.op for op in stored.operations] == ["patch_probe"]
    assert len(client.create_calls) == 2  # terminated on the tool call


async def test_refused_plan_is_an_error_the_model_can_correct(plan_store) -> None:
    client = replay(
        tool_call("propose_fix_plan", plan([{"op": "delete_deployment"}])),
        tool_call("propose_fix_plan", plan([{"op": "scale_replicas", "replicas": 500}]), "c2"),
        tool_call("propose_fix_plan", plan(PROBE_FIX), "c3"),
    )
    proposal = await propose(client, plan_store)
    assert proposal is not None and proposal.plan_id == "plan-1"
    assert list(plan_store.plans) == ["plan-1"]
    second_prompt = str(client.create_calls[1]["messages"])
    assert "delete_deployment" in second_prompt and "is not allowed" in second_prompt
    third_prompt = str(client.create_calls[2]["messages"])
    assert "replicas must be within" in third_prompt


async def test_no_plan_and_an_explanation_is_a_proposal_without_id(plan_store) -> None:
    client = replay(text("The image tag does not exist; no allowed operation fixes that."))
    proposal = await propose(client, plan_store)
    assert proposal is not None and proposal.plan_id is None and proposal.plan is None
    assert "image tag" in proposal.rationale
    assert plan_store.plans == {}


async def test_model_without_tool_calling_cannot_propose(plan_store) -> None:
    from autogen_ext.models.replay import ReplayChatCompletionClient

    from tests.agents.scripts import INFO

    client = ReplayChatCompletionClient(["x"], model_info={**INFO, "function_calling": False})
    with pytest.raises(AgentFailed) as failure:
        await propose(client, plan_store)
    assert failure.value.reason == "no_tool_calling"
