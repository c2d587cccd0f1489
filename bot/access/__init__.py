"""Access control: roles, the policy from the config, what each command and button
needs, and the check the router runs before every skill and card action."""

from __future__ import annotations

from bot.access.policy import ALL, Grant, Identity, Need, Policy, Refusal, Scope
from bot.access.requirement import PerRequest, Requires, Rule
from bot.access.roles import Role

__all__ = [
    "ALL",
    "Grant",
    "Identity",
    "Need",
    "PerRequest",
    "Policy",
    "Refusal",
    "Requires",
    "Role",
    "Rule",
    "Scope",
]
