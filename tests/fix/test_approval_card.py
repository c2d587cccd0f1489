"""The approval card says who asked, @-mentions who may approve, what happens to the pods
and for how long the plan may be approved."""

from __future__ import annotations

import json

import pytest

from bot.access import Grant, Policy, Role
from bot.access.approvers import approvers_of
from bot.cards.fix import PlanView, approval_card
from bot.texts.cluster import impact_text
from cluster.plans import FixPlan, PatchProbe, RolloutRestart, ScaleReplicas, Target
from tests.fix.conftest import APPROVER, FixEnv, card_text, find_button


def _target(replicas: int) -> Target:
    return Target("default", "nginx", "1", 1, replicas, {})


@pytest.mark.parametrize(
    ("operations", "replicas", "english"),
    [
        ((RolloutRestart(),), 2, "rolling restart of 2 pods"),
        ((ScaleReplicas(4),), 2, "scale 2 → 4 replicas"),
        ((PatchProbe("nginx", "readiness", path="/"),), 1, "rolling restart of 1 pod"),
        (
            (PatchProbe("nginx", "readiness", path="/"), ScaleReplicas(3)),
            2,
            "scale 2 → 3 replicas; rolling restart of 3 pods",
        ),
    ],
)
def test_impact_from_the_typed_plan(operations: tuple, replicas: int, english: str) -> None:
    plan = FixPlan(_target(replicas), operations)
    assert impact_text(plan, "en-US") == english
    assert "Pod" in impact_text(plan, "zh-CN") or "副本" in impact_text(plan, "zh-CN")


def test_approvers_are_the_people_granted_the_namespace() -> None:
    policy = Policy(
        reads_open=True,
        grants=(
            Grant(Role.approver, open_ids=frozenset({"ou_a"}), namespaces=frozenset({"default"})),
            Grant(Role.approver, open_ids=frozenset({"ou_p"}), namespaces=frozenset({"payments"})),
            Grant(Role.admin, open_ids=frozenset({"ou_root"})),  # every namespace
            Grant(Role.operator, open_ids=frozenset({"ou_op"})),  # may not approve
            Grant(Role.approver, chat_ids=frozenset({"oc_x"})),  # a chat: nobody to mention
        ),
    )
    assert approvers_of(policy, "default") == ["ou_a", "ou_root"]
    assert approvers_of(policy, "payments") == ["ou_p", "ou_root"]


def _view(**overrides: object) -> PlanView:
    base: dict = dict(
        plan_id="p1",
        kind="fix",
        namespace="default",
        deployment="nginx",
        operations=("restart",),
        diff=("spec.x: 1 → 2",),
        expires="今天 14:32",
        requester="ou_alice",
        approvers=("ou_bob", "ou_carol"),
        impact="rolling restart of 2 pods",
        valid_minutes=30,
    )
    return PlanView(**{**base, **overrides})


def test_the_card_mentions_requester_and_approvers_and_says_how_long() -> None:
    text = json.dumps(approval_card(_view(), "en-US"), ensure_ascii=False)
    assert "Requested by <at id=ou_alice></at>" in text
    assert "<at id=ou_bob></at> <at id=ou_carol></at>" in text
    assert "Impact: rolling restart of 2 pods" in text
    assert "valid for 30 min (until 今天 14:32)" in text
    zh = json.dumps(approval_card(_view(), "zh-CN"), ensure_ascii=False)
    assert "30 分钟内有效" in zh


def test_an_approver_id_never_mentions_everyone() -> None:
    text = json.dumps(approval_card(_view(approvers=("all",)), "en-US"), ensure_ascii=False)
    assert "<at id=all>" not in text


def test_no_configured_approver_is_said() -> None:
    text = json.dumps(approval_card(_view(approvers=()), "en-US"), ensure_ascii=False)
    assert "No approver is configured for namespace default" in text


def test_fix_card_in_chat_names_everything(env: FixEnv) -> None:
    env.say("/fix nginx")
    card, _ = env.wait_approval()
    text = card_text(card.content)
    assert "Requested by <at id=ou_user></at>" in text
    assert f"<at id={APPROVER}></at>" in text
    assert "<at id=ou_payments_lead></at>" not in text  # approves payments, not default
    assert "rolling restart of 2 pods" in text
    assert "valid for 30 min" in text
    assert find_button(card.content, "approve_plan") is not None


def test_scaling_card_says_from_and_to(env: FixEnv) -> None:
    env.say("/audit")
    anchor = env.wait_message(lambda m: True)
    value = {"action": "propose_scaling", "namespace": "default", "deployment": "nginx"}
    env.click({**value, "replicas": 4}, anchor)
    card, _ = env.wait_approval()
    assert "scale 2 → 4 replicas" in card_text(card.content)


def test_approve_is_a_confirmed_submit_button_of_a_form(env: FixEnv) -> None:
    # Feishu documents a button's confirm dialog for submit buttons in a form: there every
    # client shows it, so approving is always two deliberate steps.
    env.say("/fix nginx")
    card, plan_id = env.wait_approval()
    forms = [e for e in card.content["body"]["elements"] if e.get("tag") == "form"]
    assert len(forms) == 1
    submits = {
        e["behaviors"][0]["value"]["action"]: e
        for e in forms[0]["elements"]
        if e.get("tag") == "button" and e.get("form_action_type") == "submit"
    }
    assert set(submits) == {"approve_plan", "reject_plan"}
    approve = submits["approve_plan"]
    assert approve["behaviors"][0]["value"]["plan_id"] == plan_id
    assert approve["confirm"]["title"]["content"] and approve["confirm"]["text"]["content"]
