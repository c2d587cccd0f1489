"""An agent's plan is accepted only for the deployment (and namespace) the request named:
anything else is dropped, audited, and the agent is told why."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from agents import FixProposal
from bot.app import CapabilityParts
from bot.services import Services
from cluster.plans import FixPlan
from tests.fix.conftest import FixEnv

PROBE = {"op": "patch_probe", "container": "nginx", "kind": "readiness", "path": "/"}


class StrayAgents:
    """Proposes for another namespace, then another deployment, as a misled model might;
    a refused proposal comes back as the tool's error, as in ``agents.tools``."""

    status = "enabled"

    def __init__(self) -> None:
        self.refusals: list[str] = []

    async def propose_fix(
        self, diagnosis: dict[str, Any], *, plan_sink: Any, **_: Any
    ) -> FixProposal | None:
        target = next(f["plan"]["target"] for f in diagnosis["findings"] if f["plan"])
        for change in ({"namespace": "kube-system"}, {"deployment": "payments"}):
            stray = {**copy.deepcopy(target), **change}
            plan = FixPlan.from_dict({"target": stray, "operations": [PROBE]})
            try:
                await plan_sink(plan, "looks similar")
            except Exception as error:
                self.refusals.append(str(error))
        return None


def test_an_agent_plan_for_another_object_is_dropped_and_audited(
    make_env: Callable[..., FixEnv],
) -> None:
    agents = StrayAgents()

    def capability(services: Services) -> CapabilityParts:
        services.agents = agents
        return CapabilityParts()

    env = make_env(capability)
    env.say("/fix nginx")
    env.wait_approval()  # the rules' plan, for default/nginx
    env.bot.wait_for(lambda: len(agents.refusals) == 2)
    assert all("default/nginx" in r for r in agents.refusals)
    assert len(env.approval_cards()) == 1
    dropped = [e for e in env.audit() if e.result == "off_target"]
    assert sorted(e.detail.split("proposed ")[1] for e in dropped) == [
        "default/payments",
        "kube-system/nginx",
    ]
    pending = [e for e in env.audit() if e.action == "propose_fix" and e.result == "pending"]
    assert len(pending) == 1
