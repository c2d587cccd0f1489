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

from config.sections import AlertsSettings

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


def parse_routing(section: AlertsSettings | Mapping[str, Any] | None) -> Routing:
    """Build the routing from the ``alerts`` section (typed, or a mapping as YAML has it);
    ValueError names the bad entry."""
    if not isinstance(section, AlertsSettings):
        section = AlertsSettings.model_validate(section or {})  # ValidationError: ValueError
    routes = tuple(
        Route(
            route.chat_id,
            dict(route.match),
            {label: re.compile(pattern) for label, pattern in route.match_re.items()},
            route.team or None,
        )
        for route in section.routes
    )
    return Routing(routes, section.default_chat_id or None)
