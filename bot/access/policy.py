"""The access policy: grants from the config, and the one decision every request goes through.

Pure: :meth:`Policy.decide` takes who asks and what the request needs, and returns
``None`` (allowed) or the :class:`Refusal` that says why not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.access.roles import Role

__all__ = ["ALL", "Grant", "Identity", "Need", "Policy", "Refusal", "Scope"]

ALL = "*"
Reason = Literal["unauthorised", "other_chat", "own_plan"]


@dataclass(frozen=True)
class Identity:
    """Who asks: the person, the chat the request came from, the person's departments
    (empty when unknown: a department grant then does not match)."""

    open_id: str
    chat_id: str
    department_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Scope:
    """What a request touches. ``namespace`` None: no namespace (any grant of the role
    will do); ``"*"``: every namespace (only a grant for ``"*"`` will do). ``chat_id``:
    the object's home chat, the only chat the request may come from. ``proposer``: who
    proposed the plan (four-eyes). ``object_id``: the plan or alert, for the audit log."""

    namespace: str | None = None
    cluster: str | None = None
    chat_id: str | None = None
    proposer: str | None = None
    object_id: str | None = None


@dataclass(frozen=True)
class Need:
    role: Role
    changes_state: bool = False
    scope: Scope = field(default_factory=Scope)
    four_eyes: bool = False
    public: bool = False  # a read open to everyone, whatever the policy


@dataclass(frozen=True)
class Refusal:
    reason: Reason
    role: Role
    namespace: str | None


def _covers(allowed: frozenset[str], wanted: str | None) -> bool:
    if wanted is None or ALL in allowed:
        return True
    return wanted != ALL and wanted in allowed


@dataclass(frozen=True)
class Grant:
    role: Role
    open_ids: frozenset[str] = frozenset()
    chat_ids: frozenset[str] = frozenset()
    department_ids: frozenset[str] = frozenset()
    namespaces: frozenset[str] = frozenset({ALL})
    clusters: frozenset[str] = frozenset({ALL})

    def names(self, who: Identity) -> bool:
        return (
            who.open_id in self.open_ids
            or who.chat_id in self.chat_ids
            or bool(who.department_ids & self.department_ids)
        )

    def covers(self, scope: Scope) -> bool:
        if scope.namespace is None and scope.cluster is None:
            return True
        return _covers(self.namespaces, scope.namespace) and _covers(self.clusters, scope.cluster)


def _ids(values: Iterable[str | None]) -> frozenset[str]:
    return frozenset(v for v in values if v)


def _legacy_grants(settings: Any) -> list[Grant]:
    """``approvals.approvers`` entries are approver grants for their namespaces;
    ``knowledge.uploaders`` are operators of what names no namespace (the runbooks)."""
    grants = [
        Grant(
            Role.approver,
            open_ids=_ids([a.open_id]),
            chat_ids=_ids([a.chat_id]),
            namespaces=frozenset(a.namespaces),
            clusters=frozenset(a.clusters),
        )
        for a in settings.approvals.approvers
    ]
    uploaders = settings.knowledge.uploaders
    if uploaders:
        grants.append(
            Grant(Role.operator, open_ids=_ids(map(str, uploaders)), namespaces=frozenset())
        )
    return grants


@dataclass(frozen=True)
class Policy:
    reads_open: bool
    grants: tuple[Grant, ...] = ()
    second_person: bool = False

    @classmethod
    def from_settings(cls, settings: Any) -> Policy:
        """With no ``access:`` section reads are open to every chat (as before access
        control existed); state changes always need a grant."""
        grants = _legacy_grants(settings)
        access = settings.access
        if access is not None:
            grants += [
                Grant(
                    Role[g.role],
                    open_ids=frozenset(g.open_ids),
                    chat_ids=frozenset(g.chat_ids),
                    department_ids=frozenset(g.department_ids),
                    namespaces=frozenset(g.namespaces),
                    clusters=frozenset(g.clusters),
                )
                for g in access.grants
            ]
        reads_open = access is None or access.reads == "everyone"
        return cls(reads_open, tuple(grants), settings.approvals.require_second_person)

    @property
    def uses_departments(self) -> bool:
        return any(g.department_ids for g in self.grants)

    def role_of(self, who: Identity, scope: Scope) -> Role | None:
        """The highest role ``who`` holds over ``scope``."""
        roles = [g.role for g in self.grants if g.names(who) and g.covers(scope)]
        return max(roles) if roles else None

    def decide(self, who: Identity, need: Need) -> Refusal | None:
        scope = need.scope
        if need.public and not need.changes_state:
            return None
        if scope.chat_id and who.chat_id != scope.chat_id:
            return Refusal("other_chat", need.role, scope.namespace)
        open_read = self.reads_open and need.role == Role.viewer and not need.changes_state
        if not open_read:
            held = self.role_of(who, scope)
            if held is None or held < need.role:
                return Refusal("unauthorised", need.role, scope.namespace)
        if need.four_eyes and self.second_person and scope.proposer == who.open_id:
            return Refusal("own_plan", need.role, scope.namespace)
        return None
