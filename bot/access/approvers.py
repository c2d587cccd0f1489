"""Who may approve a plan in a namespace: the people to @-mention on its approval card,
and whether ``approvals.approvers`` alone allows someone."""

from __future__ import annotations

from collections.abc import Sequence

from bot.access.policy import Grant, Identity, Need, Policy, Scope
from bot.access.roles import Role
from config.settings import Approver

__all__ = ["approvers_of", "may_approve"]


def approvers_of(policy: Policy, namespace: str, cluster: str | None = None) -> list[str]:
    """The open_ids of every person granted approver (or admin) for ``namespace`` (of
    ``cluster``), in the order the config names them. Chat and department grants name no
    one to mention."""
    scope = Scope(namespace=namespace, cluster=cluster)
    found = [
        open_id
        for grant in policy.grants
        if grant.role >= Role.approver and grant.covers(scope)
        for open_id in sorted(grant.open_ids)
    ]
    return list(dict.fromkeys(found))


def may_approve(
    approvers: Sequence[Approver],
    open_id: str,
    chat_id: str,
    namespace: str,
    cluster: str | None = None,
) -> bool:
    """An entry naming the user (or the chat the click came from), the namespace (or
    ``*``) and the cluster (entries name every cluster unless they list ``clusters``)
    allows it; nothing else does (``approvals.approvers`` alone, as a policy)."""
    grants = tuple(
        Grant(
            Role.approver,
            open_ids=frozenset(filter(None, [a.open_id])),
            chat_ids=frozenset(filter(None, [a.chat_id])),
            namespaces=frozenset(a.namespaces),
            clusters=frozenset(a.clusters),
        )
        for a in approvers
    )
    scope = Scope(namespace=namespace, cluster=cluster)
    need = Need(Role.approver, changes_state=True, scope=scope)
    return Policy(reads_open=False, grants=grants).decide(Identity(open_id, chat_id), need) is None
