"""``Agents``: what skills call. Disabled (no LLM) means every entry point returns None.

agents = Agents.from_settings(settings, os.environ, backend=LiveBackend(...))
report = await agents.narrate_rca(to_json(result), "why is payments slow?")
if report is None: ...            # no LLM: keep the deterministic card
# AgentFailed(reason) on failure or timeout: keep the card and say so
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from autogen_core.models import ChatCompletionClient

from agents.config import LlmConfig, llm_config
from agents.metered import MeteredClient, UsageObserver
from agents.models import build_client
from agents.reports import FixProposal, GroundedAnswer, Postmortem, RcaReport, ResearchAnswer
from agents.teams import fix, grounded, postmortem, rca, research
from agents.teams.budget import Budget
from agents.tools import PlanSink, RecordedBackend, ToolBackend, ToolSet
from config.settings import Settings

__all__ = ["Agents", "AgentsStatus", "agents_status"]

AgentsStatus = Literal["disabled", "enabled"]
ClientFactory = Callable[[], ChatCompletionClient]


class Agents:
    """Holds one model client (built lazily inside the running loop) and the tool backend."""

    def __init__(
        self,
        config: LlmConfig | None,
        *,
        backend: ToolBackend | None = None,
        budget: Budget | None = None,
        client_factory: ClientFactory | None = None,
        observer: UsageObserver | None = None,
    ) -> None:
        self.config = config
        self.observer = observer
        self.backend: ToolBackend = backend if backend is not None else RecordedBackend({})
        self.budget = budget or Budget()
        self._factory: ClientFactory | None = client_factory
        if client_factory is None and config is not None:
            self._factory = lambda: build_client(config)
        self._client: ChatCompletionClient | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, environ: Mapping[str, str] | None = None, **options: Any
    ) -> Agents:
        """``settings`` is ``config.settings.Settings`` (its ``LLM_*`` values and ``llm``
        section); ``environ`` is read only for the variables fallbacks name."""
        return cls(llm_config(settings, environ), **options)

    @property
    def status(self) -> AgentsStatus:
        return "enabled" if self._factory is not None else "disabled"

    def _meter(self) -> MeteredClient | None:
        if self._factory is None:
            return None
        if self._client is None:
            self._client = self._factory()
        return MeteredClient(self._client, self.observer)

    async def narrate_rca(
        self, evidence: dict[str, Any], question: str = "", *, lang: str | None = None
    ) -> RcaReport | None:
        """A reviewed narrative of ranked evidence (``analysis.evidence.to_json``)."""
        meter = self._meter()
        if meter is None:
            return None
        tools = ToolSet(self.backend)
        return await rca.narrate(meter, tools, evidence, question, lang=lang, budget=self.budget)

    async def propose_fix(
        self,
        diagnosis: dict[str, Any],
        *,
        namespace: str,
        deployment: str,
        plan_sink: PlanSink,
        lang: str | None = None,
    ) -> FixProposal | None:
        """Diagnose and store at most one plan through ``plan_sink`` (pending approval)."""
        meter = self._meter()
        if meter is None:
            return None
        tools = ToolSet(self.backend, plan_sink=plan_sink)
        return await fix.propose(
            meter,
            tools,
            diagnosis,
            namespace=namespace,
            deployment=deployment,
            lang=lang,
            budget=self.budget,
        )

    async def research(
        self, question: str, use_web: bool = True, *, lang: str | None = None
    ) -> ResearchAnswer | None:
        meter = self._meter()
        if meter is None:
            return None
        tools = ToolSet(self.backend)
        return await research.research(
            meter, tools, question, use_web=use_web, lang=lang, budget=self.budget
        )

    async def grounded_answer(
        self,
        question: str,
        passages: Sequence[str],
        history: Sequence[tuple[str, str]] = (),
        *,
        lang: str | None = None,
    ) -> GroundedAnswer | None:
        """Answer from ``passages`` only (cited as [n], 1-based); refuse when unsupported."""
        meter = self._meter()
        if meter is None:
            return None
        return await grounded.answer(
            meter, question, passages, history, lang=lang, budget=self.budget
        )

    async def write_postmortem(self, draft: str, *, lang: str | None = None) -> Postmortem | None:
        """The timeline's draft reworded into a postmortem (``rejected`` when it strays)."""
        meter = self._meter()
        if meter is None:
            return None
        return await postmortem.write(meter, draft, lang=lang, budget=self.budget)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


def agents_status(agents: Agents | None) -> AgentsStatus:
    """``"disabled"`` for a missing capability or one with no LLM configured."""
    return "disabled" if agents is None else agents.status
