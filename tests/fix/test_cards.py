"""Card builders (both languages, limits), approver matching and argument parsing."""

from __future__ import annotations

import pytest

from bot.access.approvers import may_approve
from bot.cards.fix import (
    AuditRow,
    FindingText,
    PlanView,
    WorkloadFindings,
    applied_card,
    applying_card,
    approval_card,
    audit_card,
    diagnosis_card,
    no_fix_card,
    not_applied_card,
    rejected_card,
)
from bot.cards.schema import validate_card
from bot.registry import UsageError
from config.settings import Approver
from messages import LANGUAGES
from skills import audit, diagnose, fix
from tests.fix.conftest import buttons, card_text, find_button

FINDINGS = tuple(
    FindingText(level, f"title {i} " + "x" * 80, f"detail {i} " + "y" * 200)
    for i, level in enumerate(["critical", "warning", "info"] * 5)
)
VIEW = PlanView(
    plan_id="pl_0123456789abcdef",
    kind="fix",
    namespace="default",
    deployment="nginx",
    operations=("Change the readiness probe of container nginx: path=/",) * 10,
    diff=tuple(f"spec.template.spec.containers[nginx].env[V{i}].value: a → b" for i in range(90)),
    findings=FINDINGS,
    rationale="because " * 200,
    expires="11-26 06:45",
)


def _cards(lang: str) -> list[dict]:
    workloads = [WorkloadFindings("default", f"app-{i}", FINDINGS, i % 2 == 0) for i in range(30)]
    rows = [AuditRow("11-26 06:45:00", "ou_x", "approve", "approved", "d" * 120)] * 50
    return [
        diagnosis_card("Diagnosis", workloads, lang, notes=["note"], footer="footer"),
        approval_card(VIEW, lang),
        approval_card(
            PlanView("pl_1", "undo", "ns", "d", (), ("a: 1 → 2",), source_plan="pl_0"), lang
        ),
        no_fix_card("default", "nginx", FINDINGS, lang),
        no_fix_card("default", "nginx", (), lang),
        applying_card(VIEW, "<at id=ou_x></at>", lang),
        applied_card(VIEW, "<at id=ou_x></at>", "ready", "ok", lang),
        applied_card(VIEW, "<at id=ou_x></at>", "timeout", "late", lang, undo=False),
        not_applied_card(VIEW, "expired", lang),
        rejected_card(VIEW, "<at id=ou_x></at>", "later", lang),
        audit_card(rows, lang),
        audit_card([], lang),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_card_is_valid_even_when_large(lang: str) -> None:
    for card in _cards(lang):
        validate_card(card)


@pytest.mark.parametrize("lang, label", [("en-US", "Approve"), ("zh-CN", "批准")])
def test_the_approve_button_text_and_value(lang: str, label: str) -> None:
    card = approval_card(VIEW, lang)
    assert find_button(card, "approve_plan") == (
        label,
        {"action": "approve_plan", "plan_id": VIEW.plan_id},
    )
    # Buttons carry the stored plan's id, never the plan itself.
    assert all(set(value) == {"action", "plan_id"} for _, value in buttons(card))


def test_the_diagnosis_card_only_proposes() -> None:
    workloads = [
        WorkloadFindings("default", "web", FINDINGS[:2], fixable=True),
        WorkloadFindings("default", "db", FINDINGS[:1], fixable=False),
        WorkloadFindings("default", "ok", ()),
    ]
    card = diagnosis_card("Diagnosis", workloads, "en-US")
    assert {value["action"] for _, value in buttons(card)} == {"propose_fix"}
    assert [value["deployment"] for _, value in buttons(card)] == ["web"]
    assert "No problems found: ok" in card_text(card)
    assert card["header"]["template"] == "red"


def _approver(**fields: object) -> Approver:
    return Approver.model_validate(fields)


@pytest.mark.parametrize(
    "approvers, user, chat, namespace, allowed",
    [
        ([], "ou_a", "oc_1", "default", False),  # nobody configured: default deny
        ([_approver(open_id="ou_a", namespaces=["default"])], "ou_a", "oc_1", "default", True),
        ([_approver(open_id="ou_a", namespaces=["default"])], "ou_b", "oc_1", "default", False),
        ([_approver(open_id="ou_a", namespaces=["default"])], "ou_a", "oc_1", "payments", False),
        ([_approver(open_id="ou_a", namespaces=["*"])], "ou_a", "oc_1", "payments", True),
        ([_approver(open_id="ou_a")], "ou_a", "oc_1", "default", False),  # no namespaces
        ([_approver(chat_id="oc_ops", namespaces=["*"])], "ou_any", "oc_ops", "x", True),
        ([_approver(chat_id="oc_ops", namespaces=["*"])], "ou_any", "oc_other", "x", False),
        ([_approver(namespaces=["*"])], "", "", "x", False),  # an entry naming nobody
    ],
)
def test_may_approve(
    approvers: list[Approver], user: str, chat: str, namespace: str, allowed: bool
) -> None:
    assert may_approve(approvers, user, chat, namespace) is allowed


def test_arguments() -> None:
    assert fix.parse(["nginx", "-n", "web"]) == fix.FixRequest("nginx", "web")
    assert diagnose.parse([]) == diagnose.DiagnoseRequest(None, None)
    assert diagnose.parse(["-n", "payments"]) == diagnose.DiagnoseRequest(None, "payments")
    assert audit.parse([]) == audit.AuditRequest(10) and audit.parse(["50"]).count == 50
    assert audit.parse(["all", "7"]) == audit.AuditRequest(7, every_chat=True)
    for bad in ([], ["a", "b"], ["Bad_Name"]):
        with pytest.raises(UsageError):
            fix.parse(bad)
    for bad_count in (["0"], ["51"], ["-3"], ["x"], ["1", "2"], ["all", "x"], ["all", "1", "2"]):
        with pytest.raises(UsageError):
            audit.parse(bad_count)
