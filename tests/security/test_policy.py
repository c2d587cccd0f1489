"""The policy's decision, table-driven: each case says why it is allowed or refused."""

from __future__ import annotations

from typing import Any

import pytest

from bot.access import ALL, Identity, Need, Policy, Role, Scope
from config.settings import ConfigError, load_settings

ANN, BOB = Identity("ou_ann", "oc_ops"), Identity("ou_bob", "oc_dev", frozenset({"od_web"}))


def _policy(tmp_path: Any, config: str) -> Policy:
    path = tmp_path / "c.yaml"
    path.write_text(config, encoding="utf-8")
    return Policy.from_settings(load_settings({"CLOUDOPS_CONFIG": str(path)}))


LEGACY = """
approvals:
  approvers: [{open_id: ou_ann, namespaces: [payments]}]
knowledge: {uploaders: [ou_bob]}
"""
ACCESS = """
access:
  grants:
    - {role: operator, chat_ids: [oc_ops], namespaces: [payments]}
    - {role: viewer, department_ids: [od_web], namespaces: ["*"], clusters: [prod]}
approvals:
  approvers: [{open_id: ou_ann, namespaces: [shop]}]
  require_second_person: true
"""


CLUSTERS = """
clusters:
  - {name: prod, kubeconfig_context: prod}
  - {name: staging, kubeconfig_context: staging}
access:
  grants:
    - {role: approver, open_ids: [ou_bob], namespaces: [payments], clusters: [staging]}
    - {role: admin, open_ids: [ou_cat], clusters: [staging]}
approvals:
  approvers: [{open_id: ou_ann, namespaces: [payments], clusters: [prod]}]
"""
CAT = Identity("ou_cat", "oc_ops")


def need(role: Role, ns: str | None = None, **scope: Any) -> Need:
    changes = role > Role.viewer
    return Need(role, changes, Scope(namespace=ns, **scope), four_eyes=bool(scope))


@pytest.mark.parametrize(
    "config, who, wanted, refused",
    [
        # No access: section: every chat reads; approvers approve their namespaces only.
        (LEGACY, BOB, need(Role.viewer, "payments"), None),
        (LEGACY, ANN, need(Role.approver, "payments"), None),
        (LEGACY, ANN, need(Role.approver, "shop"), "unauthorised"),
        (LEGACY, BOB, need(Role.operator, "payments"), "unauthorised"),  # silences: no
        (LEGACY, BOB, need(Role.operator), None),  # an uploader changes the runbooks
        (LEGACY, BOB, need(Role.admin), "unauthorised"),  # nobody is admin by default
        # With access: reads follow the grants; approvers still count as approvers.
        (ACCESS, Identity("ou_x", "oc_ops"), need(Role.operator, "payments"), None),
        (ACCESS, Identity("ou_x", "oc_ops"), need(Role.viewer, "shop"), "unauthorised"),
        (ACCESS, Identity("ou_x", "oc_nowhere"), need(Role.viewer), "unauthorised"),
        (ACCESS, BOB, need(Role.viewer, "anything"), None),  # by department
        (ACCESS, BOB, Need(Role.viewer, scope=Scope("x", cluster="prod")), None),
        (ACCESS, BOB, Need(Role.viewer, scope=Scope("x", cluster="staging")), "unauthorised"),
        (ACCESS, Identity("ou_x", "oc_ops"), need(Role.operator, ALL), "unauthorised"),
        (ACCESS, ANN, need(Role.approver, "shop"), None),
        # The object's home chat comes first; then the role; then four-eyes.
        (ACCESS, ANN, need(Role.approver, "shop", chat_id="oc_shop"), "other_chat"),
        (ACCESS, ANN, need(Role.approver, "shop", chat_id="oc_ops", proposer="ou_ann"), "own_plan"),
        (ACCESS, ANN, need(Role.approver, "shop", chat_id="oc_ops", proposer="ou_z"), None),
        # Many clusters: grants and approvers entries cover only the clusters they list.
        (CLUSTERS, BOB, Need(Role.approver, True, Scope("payments", cluster="staging")), None),
        (
            CLUSTERS,
            BOB,
            Need(Role.approver, True, Scope("payments", cluster="prod")),
            "unauthorised",
        ),
        (CLUSTERS, ANN, Need(Role.approver, True, Scope("payments", cluster="prod")), None),
        (
            CLUSTERS,
            ANN,
            Need(Role.approver, True, Scope("payments", cluster="staging")),
            "unauthorised",
        ),
        (CLUSTERS, CAT, Need(Role.admin, True, Scope(cluster="staging")), None),  # /cluster use
        (CLUSTERS, CAT, Need(Role.admin, True, Scope(cluster="prod")), "unauthorised"),
    ],
)
def test_decide(tmp_path: Any, config: str, who: Identity, wanted: Need, refused: str | None):
    found = _policy(tmp_path, config).decide(who, wanted)
    assert (found.reason if found else None) == refused


def test_reads_everyone_opens_reads_but_not_changes(tmp_path: Any) -> None:
    policy = _policy(tmp_path, "access: {reads: everyone, grants: []}\n")
    stranger = Identity("ou_x", "oc_x")
    assert policy.decide(stranger, need(Role.viewer, "payments")) is None
    assert policy.decide(stranger, need(Role.operator, "payments")) is not None


def test_a_wrong_role_stops_start_up_naming_the_setting(tmp_path: Any) -> None:
    with pytest.raises(ConfigError, match="access.grants.0.role"):
        _policy(tmp_path, "access: {grants: [{role: root, open_ids: [ou_x]}]}\n")
