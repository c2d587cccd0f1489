"""The tools agents may call, as AutoGen FunctionTools bound to a backend and a ledger.

None of them changes the cluster: they read, and ``propose_fix_plan`` only stores a
plan for a human to approve. Every output is redacted and delimited as untrusted data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any

from autogen_core.tools import FunctionTool

from agents.tools.backend import ToolBackend, ToolUnavailable
from agents.tools.fix import PendingPlan, PlanSink, plan_from_json
from agents.tools.ledger import Ledger
from agents.untrusted import wrap

__all__ = ["READ_TOOLS", "PROPOSE_TOOL", "ToolSet", "build_tools"]

READ_TOOLS = (
    "query_metrics",
    "rank_root_causes",
    "list_pods",
    "list_events",
    "read_logs",
    "run_diagnosis",
    "search_knowledge",
    "web_search",
)
PROPOSE_TOOL = "propose_fix_plan"


class ToolSet:
    """Tools for one run; ``ledger`` records every call, ``proposals`` the stored plans."""

    def __init__(
        self,
        backend: ToolBackend,
        *,
        plan_sink: PlanSink | None = None,
        ledger: Ledger | None = None,
    ) -> None:
        self.backend, self.plan_sink = backend, plan_sink
        self.ledger = ledger if ledger is not None else Ledger()
        self.proposals: list[PendingPlan] = []

    async def _read(self, name: str, arguments: dict[str, Any], read: Awaitable[Any]) -> str:
        try:
            payload = await read
            output, ok = wrap(name, payload), True
            self.ledger.note_sources(payload)
        except ToolUnavailable as error:
            output, ok = wrap(name, f"unavailable: {error}"), False
        except Exception as error:  # a failed read is information for the model, not a crash
            output, ok = wrap(name, f"error: {type(error).__name__}: {error}"), False
        self.ledger.record(name, arguments, output, ok)
        return output

    async def query_metrics(self, service: str, namespace: str, minutes: int = 30) -> str:
        """Fetch a service's metrics for the last `minutes` and score anomalies per series."""
        args = {"service": service, "namespace": namespace, "minutes": minutes}
        minutes = max(5, min(int(minutes), 24 * 60))
        return await self._read(
            "query_metrics", args, self.backend.metrics(service, namespace, minutes)
        )

    async def rank_root_causes(self, service: str, namespace: str, minutes: int = 30) -> str:
        """Rank the entities (services, pods) most likely to have caused the incident."""
        args = {"service": service, "namespace": namespace, "minutes": minutes}
        minutes = max(5, min(int(minutes), 24 * 60))
        read = self.backend.root_causes(service, namespace, minutes)
        return await self._read("rank_root_causes", args, read)

    async def list_pods(self, namespace: str, label_selector: str = "") -> str:
        """Pods of a namespace (optionally by label selector): phase, readiness, restarts."""
        args = {"namespace": namespace, "label_selector": label_selector}
        return await self._read(
            "list_pods", args, self.backend.pods(namespace, label_selector or None)
        )

    async def list_events(self, namespace: str, object_name: str = "") -> str:
        """Recent Kubernetes events of a namespace, optionally for one object name."""
        args = {"namespace": namespace, "object_name": object_name}
        return await self._read(
            "list_events", args, self.backend.events(namespace, object_name or None)
        )

    async def read_logs(
        self, namespace: str, pod: str, container: str, previous: bool = False
    ) -> str:
        """The tail of a container's log (redacted, truncated); previous=True for the last crash."""
        args = {"namespace": namespace, "pod": pod, "container": container, "previous": previous}
        return await self._read(
            "read_logs", args, self.backend.logs(namespace, pod, container, previous)
        )

    async def run_diagnosis(self, namespace: str, deployment: str) -> str:
        """Run the diagnosis rules on a Deployment: findings with evidence and suggested plans."""
        args = {"namespace": namespace, "deployment": deployment}
        return await self._read("run_diagnosis", args, self.backend.diagnose(namespace, deployment))

    async def search_knowledge(self, query: str) -> str:
        """Search the team's runbooks; returns passages with title and source."""
        return await self._read(
            "search_knowledge", {"query": query}, self.backend.knowledge(query, 4)
        )

    async def web_search(self, query: str) -> str:
        """Search the web; returns results with title, url and content."""
        return await self._read("web_search", {"query": query}, self.backend.web(query, 5))

    async def propose_fix_plan(self, plan_json: str, rationale: str) -> str:
        """Propose a fix for human approval (it is NOT applied). plan_json:
        {"namespace","deployment","problem","operations":[{"op":...}]} with ops from
        scale_replicas, patch_resources, patch_probe, rollout_restart, rollback_to_previous."""
        args = {"plan_json": plan_json, "rationale": rationale}
        try:
            if self.plan_sink is None:
                raise ValueError("proposing fixes is not enabled here")
            plan = await plan_from_json(plan_json, self.backend)
            plan_id = await self.plan_sink(plan, rationale)
        except Exception as error:
            self.ledger.record(PROPOSE_TOOL, args, f"refused: {error}", False)
            raise ValueError(str(error)) from None
        self.proposals.append(PendingPlan(plan_id, plan, rationale))
        output = wrap(PROPOSE_TOOL, {"status": "pending_human_approval", "plan_id": plan_id})
        self.ledger.record(PROPOSE_TOOL, args, output, True)
        return output

    def functions(self) -> dict[str, Callable[..., Awaitable[str]]]:
        return {name: getattr(self, name) for name in (*READ_TOOLS, PROPOSE_TOOL)}


def build_tools(tool_set: ToolSet, names: Collection[str]) -> list[FunctionTool]:
    """FunctionTools for ``names`` (a subset of ``READ_TOOLS`` and ``PROPOSE_TOOL``)."""
    available = tool_set.functions()
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise ValueError(f"unknown tool(s): {', '.join(unknown)}")
    return [
        FunctionTool(
            available[name], description=(available[name].__doc__ or name).strip(), name=name
        )
        for name in names
    ]
