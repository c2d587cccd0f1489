"""With an LLM configured, the agents may propose one more plan: it is stored and needs
a human approval like any other, and what runs is the stored plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agents import AgentFailed, FixProposal
from bot.app import CapabilityParts
from bot.services import Services
from cluster.plans import FixPlan
from tests.fix.conftest import FixEnv, card_text

RATIONALE = "nginx serves / but not /health: point the readiness probe at /."


class ScriptedAgents:
    """Stands in for agents.Agents (its teams are tested in tests/agents)."""

    status = "enabled"

    def __init__(self, fail: AgentFailed | None = None) -> None:
        self.fail = fail
        self.seen: list[dict[str, Any]] = []

    async def propose_fix(
        self,
        diagnosis: dict[str, Any],
        *,
        namespace: str,
        deployment: str,
        plan_sink: Any,
        lang: str | None = None,
    ) -> FixProposal | None:
        self.seen.append({"diagnosis": diagnosis, "namespace": namespace, "lang": lang})
        if self.fail is not None:
            raise self.fail
        target = next(f["plan"]["target"] for f in diagnosis["findings"] if f["plan"])
        plan = FixPlan.from_dict(
            {
                "target": target,
                "operations": [
                    {"op": "patch_probe", "container": "nginx", "kind": "readiness", "path": "/"}
                ],
            }
        )
        plan_id = await plan_sink(plan, RATIONALE)
        return FixProposal(plan_id=plan_id, plan=plan.to_dict(), rationale=RATIONALE)


def _with(agents: ScriptedAgents) -> Callable[[Services], CapabilityParts]:
    def capability(services: Services) -> CapabilityParts:
        services.agents = agents
        return CapabilityParts()

    return capability


def test_the_agents_plan_is_stored_and_needs_approval(make_env: Callable[..., FixEnv]) -> None:
    agents = ScriptedAgents()
    env = make_env(_with(agents))
    env.say("/fix nginx")
    rules_card, rules_id = env.wait_approval()
    ai_card, ai_id = env.wait_approval(exclude={rules_id})
    if "AI assistant" in card_text(rules_card.content):  # whichever came first
        (rules_card, rules_id), (ai_card, ai_id) = (ai_card, ai_id), (rules_card, rules_id)
    text = card_text(ai_card.content)
    assert "The AI assistant proposed this plan" in text and RATIONALE in text
    assert "readinessProbe.httpGet.path: /health → /" in text
    assert "periodSeconds" not in text  # only what the agents proposed
    assert agents.seen[0]["namespace"] == "default" and agents.seen[0]["lang"] == "en-US"
    assert agents.seen[0]["diagnosis"]["findings"]  # the agents saw the rules' findings
    assert env.record(ai_id).status == "pending" and env.applies() == []

    env.click({"action": "approve_plan", "plan_id": ai_id}, ai_card)
    env.bot.wait_for(lambda: env.record(ai_id).status == "applied", 20)
    (real,) = env.applies()
    container = {"name": "nginx", "readinessProbe": {"httpGet": {"path": "/", "port": 80}}}
    # Exactly the stored plan, nothing more.
    assert real.body["spec"] == {"template": {"spec": {"containers": [container]}}}
    assert env.record(rules_id).status == "pending"  # the other plan is still undecided


def test_an_agent_failure_keeps_the_rules_plan(make_env: Callable[..., FixEnv]) -> None:
    env = make_env(_with(ScriptedAgents(fail=AgentFailed("timeout"))))
    env.say("/fix nginx")
    env.wait_approval()
    env.wait_message(lambda m: "The AI analysis timed out" in card_text(m.content))
    assert len(env.approval_cards()) == 1
