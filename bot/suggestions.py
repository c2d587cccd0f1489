"""The command a mistyped one was probably meant to be (``/rcaa`` → ``/rca``)."""

from __future__ import annotations

import difflib

from bot.registry import Registry, Skill

__all__ = ["closest_skill"]

# difflib's ratio: "rcaa"/"rca" 0.86, "fx"/"fix" 0.8, "diagnos"/"diagnose" 0.93;
# "frobnicate" is close to nothing.
CUTOFF = 0.7


def closest_skill(registry: Registry, command: str) -> Skill | None:
    """The visible skill whose name or alias is nearest to ``command``; None for a far miss."""
    names = {name: skill for skill in registry.visible() for name in (skill.name, *skill.aliases)}
    command = command.lower()
    match = difflib.get_close_matches(command, list(names), n=1, cutoff=CUTOFF)
    if match:
        return names[match[0]]
    started = {skill.name for name, skill in names.items() if name.startswith(command)}
    if len(command) >= 2 and len(started) == 1:  # "/diag" → /diagnose
        return names[started.pop()]
    return None
