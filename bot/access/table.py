"""What every registered command and button needs, as the Markdown table of docs/access.md.

``python -m bot.app.access_table`` prints it for the default registry; a test compares it
with the document, so a new skill cannot go undocumented.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.access.requirement import Requires
from bot.registry import Registry

__all__ = ["rows", "markdown_table"]

HEADER = "| command or button | role | changes state | scope |\n|---|---|---|---|"


def _scope(requires: Requires) -> str:
    doc = (requires.scope.__doc__ or "").strip() if requires.scope else ""
    scope = doc.splitlines()[0] if doc else "—"
    if requires.four_eyes:
        scope += " Four-eyes: with approvals.require_second_person, not the proposer."
    return scope


def rows(registry: Registry) -> Iterator[tuple[str, Requires]]:
    """(``/command variant`` or ``button <action>``, what it needs), in registry order."""
    for skill in registry.skills.values():
        for variant, requires in skill.access.variants().items():
            yield " ".join(filter(None, (f"/{skill.name}", variant))), requires
    for action, rule in registry.action_rules.items():
        for variant, requires in rule.variants().items():
            yield " ".join(filter(None, (f"button `{action}`", variant))), requires


def markdown_table(registry: Registry) -> str:
    lines = [HEADER]
    for name, requires in rows(registry):
        state = "yes" if requires.changes_state else "no"
        role = "anyone" if requires.public else requires.role.name
        lines.append(f"| {name} | {role} | {state} | {_scope(requires)} |")
    return "\n".join(lines)
