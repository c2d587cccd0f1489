"""Who may approve a plan in a namespace: the people to @-mention on its approval card."""

from __future__ import annotations

from bot.access.policy import Policy, Scope
from bot.access.roles import Role

__all__ = ["approvers_of"]


def approvers_of(policy: Policy, namespace: str) -> list[str]:
    """The open_ids of every person granted approver (or admin) for ``namespace``, in the
    order the config names them. Chat and department grants name no one to mention."""
    scope = Scope(namespace=namespace)
    found = [
        open_id
        for grant in policy.grants
        if grant.role >= Role.approver and grant.covers(scope)
        for open_id in sorted(grant.open_ids)
    ]
    return list(dict.fromkeys(found))
