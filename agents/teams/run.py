"""Run a team within its budget and turn every way it can fail into ``AgentFailed``."""

from __future__ import annotations

import asyncio
import logging
import time

from autogen_agentchat.base import TaskResult, TaskRunner
from autogen_agentchat.messages import BaseChatMessage
from autogen_core import CancellationToken

from agents.errors import AgentFailed
from agents.failover import AllEndpointsFailed
from agents.metered import MeteredClient
from agents.teams.budget import Budget

__all__ = ["run_team", "final_text"]

log = logging.getLogger(__name__)
GRACE_SECONDS = 2.0


async def run_team(team: TaskRunner, task: str, budget: Budget, meter: MeteredClient) -> TaskResult:
    """``team.run`` bounded by ``budget.seconds`` (cancelled through its token)."""
    token = CancellationToken()
    loop = asyncio.get_running_loop()
    timer = loop.call_later(budget.seconds, token.cancel)
    started = time.monotonic()
    try:
        return await asyncio.wait_for(
            team.run(task=task, cancellation_token=token), budget.seconds + GRACE_SECONDS
        )
    except (asyncio.CancelledError, TimeoutError) as error:
        if not token.is_cancelled() and not isinstance(error, TimeoutError):
            raise  # cancelled from outside: not ours to swallow
        raise AgentFailed(
            "timeout", f"after {time.monotonic() - started:.1f}s", meter.usage
        ) from None
    except AllEndpointsFailed as error:
        if error.timed_out:
            raise AgentFailed("timeout", str(error), meter.usage) from None
        raise AgentFailed("unreachable", str(error), meter.usage) from None
    except AgentFailed:
        raise
    except Exception as error:
        log.warning("agent team failed: %s", type(error).__name__)
        raise AgentFailed("model_error", f"{type(error).__name__}: {error}", meter.usage) from None
    finally:
        timer.cancel()


def final_text(result: TaskResult, source: str, meter: MeteredClient) -> str:
    """The last text message ``source`` wrote, or AgentFailed when the budget ran out first."""
    for message in reversed(result.messages):
        if isinstance(message, BaseChatMessage) and message.source == source:
            text = message.to_text()
            if type(message).__name__ in ("TextMessage", "StructuredMessage"):
                return text
    stop = result.stop_reason
    raise AgentFailed("budget_exhausted", f"no answer from {source} ({stop})", meter.usage)
