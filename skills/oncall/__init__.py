"""On call: the rota of each team (``oncall.teams``), ``/oncall`` with swaps and overrides."""

from bot.registry import Registry
from skills.oncall.command import register as register_command

__all__ = ["register"]


def register(registry: Registry) -> None:
    register_command(registry)
