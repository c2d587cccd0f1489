"""Where skills and card actions register, in the manner of Bolt's listeners.

A skill is a name, aliases, a usage text key, ``parse(args) -> request`` and
``handle(request, ctx)``. ``parse`` raises :class:`UsageError` for bad arguments.
Every command and card action declares what it needs (``access``/``requires``, see
``bot.access``); the router checks it before the handler runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from bot.access.requirement import Rule
from config.scrub import scrub

if TYPE_CHECKING:
    from bot.context import ActionContext, Context

__all__ = [
    "Skill",
    "UsageError",
    "DependencyError",
    "DependencyFailure",
    "Registry",
    "ActionHandler",
]

ActionHandler = Callable[["ActionContext"], Awaitable[None]]


class UsageError(ValueError):
    """Bad arguments: ``key`` names a catalogue message describing the problem."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class DependencyFailure(Enum):
    """How a dependency let the skill down."""

    UNAVAILABLE = "unavailable"  # it failed, refused or did not answer
    NO_DATA = "no_data"  # it answered, without (enough of) the data asked for


class DependencyError(RuntimeError):
    """A dependency (Prometheus, Kubernetes, the LLM ...) failed; the card names it.

    ``detail`` is scrubbed (``config.scrub``): it goes into error cards and REST bodies.
    ``failure`` says how it failed (the REST API answers 404 for ``NO_DATA``).
    """

    def __init__(
        self,
        dependency: str,
        detail: str,
        *,
        failure: DependencyFailure = DependencyFailure.UNAVAILABLE,
    ) -> None:
        detail = scrub(detail)
        super().__init__(f"{dependency}: {detail}")
        self.dependency = dependency
        self.detail = detail
        self.failure = failure


def no_arguments(args: Sequence[str]) -> None:
    if args:
        raise UsageError("usage.unexpected_arguments", args=" ".join(args))


@dataclass(frozen=True)
class Skill:
    name: str
    usage_key: str
    summary_key: str
    handle: Callable[[Any, Context], Awaitable[None]]
    parse: Callable[[Sequence[str]], Any] = no_arguments
    aliases: tuple[str, ...] = ()
    hidden: bool = False
    access: Rule = field(kw_only=True)


@dataclass
class Registry:
    skills: dict[str, Skill] = field(default_factory=dict)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    action_rules: dict[str, Rule] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)

    def add_skill(self, skill: Skill) -> Skill:
        for name in (skill.name, *skill.aliases):
            if name in self._names:
                raise ValueError(f"command /{name} is registered twice")
            self._names[name] = skill.name
        self.skills[skill.name] = skill
        return skill

    def action(self, name: str, *, requires: Rule) -> Callable[[ActionHandler], ActionHandler]:
        """Decorator: register a card-button handler for ``value.action == name``;
        ``requires`` says who may click it (``bot.access``)."""

        def decorator(fn: ActionHandler) -> ActionHandler:
            if name in self.actions:
                raise ValueError(f"card action {name!r} is registered twice")
            self.actions[name] = fn
            self.action_rules[name] = requires
            return fn

        return decorator

    def find(self, command: str) -> Skill | None:
        name = self._names.get(command.lower())
        return self.skills.get(name) if name else None

    def visible(self) -> list[Skill]:
        return [s for s in self.skills.values() if not s.hidden]
