"""What the tools read, behind one protocol: live (our code) or recorded (eval scenarios)."""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["ToolBackend", "ToolUnavailable"]

Json = dict[str, Any]


class ToolUnavailable(RuntimeError):
    """The dependency behind a tool is not configured or failed; the model is told so."""


class ToolBackend(Protocol):
    """Read-only data sources. Every method returns plain JSON-able data."""

    async def metrics(self, service: str, namespace: str, minutes: int) -> Any: ...

    async def root_causes(self, service: str, namespace: str, minutes: int) -> Any: ...

    async def pods(self, namespace: str, selector: str | None) -> Any: ...

    async def events(self, namespace: str, name: str | None) -> Any: ...

    async def logs(self, namespace: str, pod: str, container: str, previous: bool) -> Any: ...

    async def diagnose(self, namespace: str, deployment: str) -> Any: ...

    async def knowledge(self, query: str, top_k: int) -> Any: ...

    async def web(self, query: str, max_results: int) -> Any: ...

    async def deployment(self, namespace: str, name: str) -> Json:
        """The live Deployment (API JSON), to pin a proposed plan to its current state."""
        ...
