"""The live backend: Prometheus, the cluster (read-only), the knowledge base, the web."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from agents.tools.backend import Json, ToolUnavailable
from agents.tools.summaries import event_summary, metric_anomalies, pod_summary
from agents.tools.web import WebSearch
from analysis.evidence import to_json
from analysis.ranking import rank_root_causes

__all__ = ["LiveBackend"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LiveBackend:
    """Each part is optional; a tool whose part is missing answers ``ToolUnavailable``.

    ``cluster`` is a ``cluster.ClusterAccess`` (only its read methods are used),
    ``prometheus`` an ``analysis.prometheus.PrometheusSource``, ``knowledge`` a
    ``knowledge.KnowledgeBase``.
    """

    def __init__(
        self,
        *,
        prometheus: Any = None,
        cluster: Any = None,
        knowledge: Any = None,
        web: WebSearch | None = None,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.prometheus, self.cluster, self.knowledge_base = prometheus, cluster, knowledge
        self.web_search, self.now = web, now

    def _need(self, part: Any, name: str) -> Any:
        if part is None:
            raise ToolUnavailable(f"{name} is not configured")
        return part

    async def _frame(self, service: str, namespace: str, minutes: int) -> Any:
        source = self._need(self.prometheus, "Prometheus")
        end = self.now()
        return await asyncio.to_thread(
            source.fetch, service, namespace, end - timedelta(minutes=minutes), end
        )

    async def metrics(self, service: str, namespace: str, minutes: int) -> Any:
        frame = await self._frame(service, namespace, minutes)
        return await asyncio.to_thread(metric_anomalies, frame)

    async def root_causes(self, service: str, namespace: str, minutes: int) -> Any:
        frame = await self._frame(service, namespace, minutes)
        result = await asyncio.to_thread(rank_root_causes, frame, None, 5)
        return to_json(result)

    async def pods(self, namespace: str, selector: str | None) -> Any:
        pods = await self._need(self.cluster, "Kubernetes").pods(namespace, selector)
        return [pod_summary(p) for p in pods[:30]]

    async def events(self, namespace: str, name: str | None) -> Any:
        events = await self._need(self.cluster, "Kubernetes").events(namespace, name=name)
        events.sort(key=lambda e: str(e.get("lastTimestamp") or e.get("eventTime") or ""))
        return [event_summary(e) for e in events[-30:]]

    async def logs(self, namespace: str, pod: str, container: str, previous: bool) -> Any:
        access = self._need(self.cluster, "Kubernetes")
        text = await access.logs(namespace, pod, container, previous=previous)
        return text if text is not None else "(no log available)"

    async def diagnose(self, namespace: str, deployment: str) -> Any:
        from cluster.diagnose import diagnose_deployment

        diagnosis = await diagnose_deployment(
            self._need(self.cluster, "Kubernetes"), namespace, deployment
        )
        return {
            "target": diagnosis.target,
            "healthy": diagnosis.healthy,
            "findings": [f.to_dict() for f in diagnosis.findings],
            "rule_failures": [f.rule for f in diagnosis.rule_failures],
        }

    async def knowledge(self, query: str, top_k: int) -> Any:
        kb = self._need(self.knowledge_base, "knowledge base")
        hits = await asyncio.to_thread(kb.search, query, top_k)
        return [
            {"title": h.title, "section": h.section, "source": h.source, "text": h.text}
            for h in hits
        ]

    async def web(self, query: str, max_results: int) -> Any:
        search = self._need(self.web_search, "web search (TAVILY_API_KEY)")
        return await search.search(query, max_results)

    async def deployment(self, namespace: str, name: str) -> Json:
        result: Json = await self._need(self.cluster, "Kubernetes").deployment(namespace, name)
        return result
