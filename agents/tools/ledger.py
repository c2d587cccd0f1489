"""What the tools returned during one run: the reviewer's ground truth and the eval's record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ToolCall", "Ledger"]


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]
    output: str
    ok: bool


@dataclass
class Ledger:
    calls: list[ToolCall] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    """URLs and runbook sources that search tools returned as results."""

    def note_sources(self, payload: Any) -> None:
        if isinstance(payload, list):
            for item in payload:
                if isinstance(item, dict):
                    for key in ("url", "source"):
                        if isinstance(item.get(key), str) and item[key]:
                            self.sources.add(item[key])

    def record(self, name: str, arguments: dict[str, Any], output: str, ok: bool) -> None:
        self.calls.append(ToolCall(name, dict(arguments), output, ok))

    def names(self) -> list[str]:
        return [call.name for call in self.calls]

    def text(self) -> str:
        """Every output, for checking that a quoted claim was really observed."""
        return "\n".join(call.output for call in self.calls)
