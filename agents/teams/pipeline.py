"""Gather-then-write: a tool-using agent investigates, a second one writes the answer.

Routing is deterministic (``selector_func``): the gatherer keeps the turn while it calls
tools, up to ``max_tool_rounds``; its first plain-text reply (or the cap) hands over to
the writer, whose reply ends the run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import SourceMatchTermination
from autogen_agentchat.messages import BaseAgentEvent, BaseChatMessage, ToolCallSummaryMessage
from autogen_agentchat.teams import SelectorGroupChat
from autogen_core.models import ChatCompletionClient
from autogen_core.tools import FunctionTool

from agents.teams.budget import Budget, budget_termination

__all__ = ["gather_then_write", "route"]

Messages = Sequence[BaseAgentEvent | BaseChatMessage]


def route(gatherer: str, writer: str, max_tool_rounds: int) -> Callable[[Messages], str | None]:
    """The selector: pure function of the messages so far."""

    def select(messages: Messages) -> str | None:
        chat = [m for m in messages if isinstance(m, BaseChatMessage)]
        last = chat[-1]
        if last.source == writer:
            return None
        if last.source != gatherer:
            return gatherer
        rounds = sum(
            1 for m in chat if m.source == gatherer and isinstance(m, ToolCallSummaryMessage)
        )
        if isinstance(last, ToolCallSummaryMessage) and rounds < max_tool_rounds:
            return gatherer
        return writer

    return select


def gather_then_write(
    client: ChatCompletionClient,
    *,
    gatherer: tuple[str, str],
    writer: tuple[str, str],
    tools: Sequence[FunctionTool],
    budget: Budget,
    max_tool_rounds: int = 6,
) -> SelectorGroupChat:
    """``gatherer`` and ``writer`` are ``(name, system_message)``."""
    first = AssistantAgent(
        gatherer[0],
        client,
        tools=list(tools) if client.model_info["function_calling"] else None,
        system_message=gatherer[1],
        reflect_on_tool_use=False,
        max_tool_iterations=1,
    )
    second = AssistantAgent(writer[0], client, system_message=writer[1])
    return SelectorGroupChat(
        [first, second],
        model_client=client,
        selector_func=route(gatherer[0], writer[0], max_tool_rounds),
        allow_repeated_speaker=True,
        termination_condition=SourceMatchTermination([writer[0]]) | budget_termination(budget),
    )
