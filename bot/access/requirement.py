"""What a command or button needs, declared where it is registered.

``Requires(Role.operator, changes_state=True, scope=alert_scope)``: the role, whether the
request changes state, and how to find what it touches (the namespace, the object's home
chat, its proposer) from the parsed request or the button value. ``PerRequest`` picks
one of several by the parsed request (``/kb list`` reads, ``/kb add`` changes).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.access.policy import Need, Refusal, Scope
from bot.access.roles import Role

__all__ = ["Rule", "Requires", "PerRequest", "RefusalHook", "ScopeFinder"]

# (parsed request or button value, context) -> the scope, sync or async.
ScopeFinder = Callable[[Any, Any], Scope | Awaitable[Scope]]
# Phrases a refusal in the words of the skill that owns the object (it must not audit:
# the router has).
RefusalHook = Callable[[Any, Refusal, Scope], Awaitable[None]]


@dataclass(frozen=True)
class Requires:
    role: Role
    changes_state: bool = False
    scope: ScopeFinder | None = None
    public: bool = False  # anyone in any chat: how people learn their ids before a grant
    four_eyes: bool = False
    audit_as: str = ""
    on_refused: RefusalHook | None = field(default=None, compare=False)

    def pick(self, subject: Any) -> Requires:
        return self

    def variants(self) -> Mapping[str, Requires]:
        return {"": self}

    async def need(self, subject: Any, ctx: Any) -> Need:
        found = Scope() if self.scope is None else self.scope(subject, ctx)
        scope = await found if inspect.isawaitable(found) else found
        return Need(self.role, self.changes_state, scope, self.four_eyes, self.public)


@dataclass(frozen=True)
class PerRequest:
    """``choose(request)`` names one of ``by_variant`` (e.g. the /kb sub-command)."""

    choose: Callable[[Any], str]
    by_variant: Mapping[str, Requires]

    def pick(self, subject: Any) -> Requires:
        return self.by_variant[self.choose(subject)]

    def variants(self) -> Mapping[str, Requires]:
        return self.by_variant


class Rule(Protocol):
    def pick(self, subject: Any) -> Requires: ...

    def variants(self) -> Mapping[str, Requires]: ...
