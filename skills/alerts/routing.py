"""Which group chat gets an alert: label matchers from the ``alerts`` config section.

    alerts:
      routes:
        - match: {severity: critical, namespace: payments}
          match_re: {service: "pay.*"}
          chat_id: oc_xxx
          team: payments      # optional: the on-call team (oncall.teams) answering it
      default_chat_id: oc_yyy

Routes are tried in order; the first whose ``match`` labels are all equal and whose
``match_re`` patterns all match in full wins; otherwise ``default_chat_id`` (or None).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Route", "Routing", "parse_routing"]


@dataclass(frozen=True)
class Route:
    chat_id: str
    match: dict[str, str] = field(default_factory=dict)
    match_re: dict[str, re.Pattern[str]] = field(default_factory=dict)
    team: str | None = None

    def accepts(self, labels: Mapping[str, str]) -> bool:
        if any(labels.get(k) != v for k, v in self.match.items()):
            return False
        return all(p.fullmatch(labels.get(k, "")) for k, p in self.match_re.items())


@dataclass(frozen=True)
class Routing:
    routes: tuple[Route, ...] = ()
    default_chat_id: str | None = None

    def chat_for(self, labels: Mapping[str, str]) -> str | None:
        route = self.route_for(labels)
        return route.chat_id if route else self.default_chat_id

    def route_for(self, labels: Mapping[str, str]) -> Route | None:
        """The first route accepting ``labels`` (None: the default chat, if any)."""
        return next((r for r in self.routes if r.accepts(labels)), None)


def _strings(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be a mapping of label to value")
    return {str(k): str(v) for k, v in value.items()}


def parse_routing(section: Mapping[str, Any] | None) -> Routing:
    """Build the routing from the ``alerts`` section; ValueError names the bad entry."""
    section = section or {}
    routes = []
    for i, entry in enumerate(section.get("routes") or []):
        where = f"alerts.routes[{i}]"
        if not isinstance(entry, Mapping) or not entry.get("chat_id"):
            raise ValueError(f"{where} needs a chat_id")
        patterns = {}
        for label, pattern in _strings(entry.get("match_re"), f"{where}.match_re").items():
            try:
                patterns[label] = re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{where}.match_re.{label} is not a regex: {exc}") from None
        team = entry.get("team")
        match = _strings(entry.get("match"), f"{where}.match")
        routes.append(Route(str(entry["chat_id"]), match, patterns, str(team) if team else None))
    default = section.get("default_chat_id")
    return Routing(tuple(routes), str(default) if default else None)
