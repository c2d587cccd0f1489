"""Per-request bounds: tokens, messages and wall-clock time."""

from __future__ import annotations

from dataclasses import dataclass

from autogen_agentchat.base import TerminationCondition
from autogen_agentchat.conditions import (
    MaxMessageTermination,
    TimeoutTermination,
    TokenUsageTermination,
)

__all__ = ["Budget", "budget_termination"]


@dataclass(frozen=True)
class Budget:
    max_tokens: int = 40_000
    max_messages: int = 30
    seconds: float = 120.0

    def __post_init__(self) -> None:
        if self.max_tokens < 1 or self.max_messages < 2 or self.seconds <= 0:
            raise ValueError(
                "budget needs max_tokens >= 1, max_messages >= 2 and seconds > 0, got "
                f"{self.max_tokens}, {self.max_messages}, {self.seconds}"
            )


def budget_termination(budget: Budget) -> TerminationCondition:
    """Stops between messages; a stalled model call is cut by ``run_team``'s deadline."""
    return (
        TokenUsageTermination(max_total_token=budget.max_tokens)
        | MaxMessageTermination(budget.max_messages)
        | TimeoutTermination(budget.seconds)
    )
