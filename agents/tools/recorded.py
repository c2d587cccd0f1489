"""A backend that replays recorded outputs (eval scenarios, tests): no live systems."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from agents.tools.backend import Json, ToolUnavailable

__all__ = ["RecordedBackend"]


class RecordedBackend:
    """``outputs`` maps a backend method name (``pods``, ``logs`` ...) to its output.

    A value may also map argument strings to outputs, for example
    ``{"logs": {"by": "pod", "values": {"api-1": "...", "api-2": "..."}}}``.
    """

    def __init__(self, outputs: Mapping[str, Any]) -> None:
        self.outputs = dict(outputs)

    def _get(self, method: str, **arguments: Any) -> Any:
        if method not in self.outputs:
            raise ToolUnavailable(f"no recorded output for {method}")
        value = self.outputs[method]
        if isinstance(value, dict) and set(value) == {"by", "values"}:
            key = str(arguments.get(value["by"]))
            if key not in value["values"]:
                raise ToolUnavailable(f"no recorded {method} for {value['by']}={key}")
            value = value["values"][key]
        return copy.deepcopy(value)

    async def metrics(self, service: str, namespace: str, minutes: int) -> Any:
        return self._get("metrics", service=service, namespace=namespace)

    async def root_causes(self, service: str, namespace: str, minutes: int) -> Any:
        return self._get("root_causes", service=service, namespace=namespace)

    async def pods(self, namespace: str, selector: str | None) -> Any:
        return self._get("pods", namespace=namespace, selector=selector)

    async def events(self, namespace: str, name: str | None) -> Any:
        return self._get("events", namespace=namespace, name=name)

    async def logs(self, namespace: str, pod: str, container: str, previous: bool) -> Any:
        return self._get("logs", namespace=namespace, pod=pod, container=container)

    async def diagnose(self, namespace: str, deployment: str) -> Any:
        return self._get("diagnose", namespace=namespace, deployment=deployment)

    async def knowledge(self, query: str, top_k: int) -> Any:
        return self._get("knowledge", query=query)

    async def web(self, query: str, max_results: int) -> Any:
        return self._get("web", query=query)

    async def deployment(self, namespace: str, name: str) -> Json:
        result: Json = self._get("deployment", namespace=namespace, name=name)
        return result
