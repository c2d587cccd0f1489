"""Result types of root-cause ranking and their JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

__all__ = ["Candidate", "Change", "ChangeKind", "Evidence", "RcaResult", "Verdict", "to_json"]

Verdict = Literal["root_cause", "ambiguous", "no_anomaly"]
"""``root_cause``: one entity clearly leads; ``ambiguous``: several are close;
``no_anomaly``: nothing left its baseline strongly enough."""


ChangeKind = Literal["rollout", "config", "scaling", "node", "warning"]


@dataclass(frozen=True)
class Change:
    """Something that changed in the cluster around the incident (see ``analysis.changes``):
    when, what kind, which workload it concerns (None: node-wide), the object changed
    (``Deployment/payments``) and facts as data, not sentences: rollout ``image``,
    ``previous_image``, ``revision``; config ``name``; scaling ``from``, ``to``; node
    ``condition``, ``status``; warning ``reason``, ``message``."""

    at: pd.Timestamp
    kind: ChangeKind
    workload: str | None
    subject: str
    facts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Evidence:
    """One anomalous metric of an entity."""

    metric: str
    onset: pd.Timestamp
    baseline: float
    peak: float
    score: float


@dataclass(frozen=True)
class Candidate:
    """A ranked entity, described by its strongest metric plus its other evidence."""

    entity: str
    metric: str
    score: float
    onset: pd.Timestamp
    baseline: float
    peak: float
    direction: Literal["up", "down"]
    evidence: tuple[Evidence, ...]
    series: tuple[str, str] | None = None
    """(entity, metric) of the strongest metric in the metric frame, when that differs
    from (``entity``, ``metric``): a call edge's series speaks for both its ends."""
    changes: tuple[Change, ...] = ()
    """Rollouts or configuration changes of this workload shortly before its onset."""

    @property
    def key(self) -> tuple[str, str]:
        """Where the strongest metric is in the metric frame."""
        return self.series or (self.entity, self.metric)


@dataclass(frozen=True)
class RcaResult:
    """Candidates best first, the incident start used, and a verdict for the card."""

    candidates: tuple[Candidate, ...]
    incident_start: pd.Timestamp | None
    verdict: Verdict
    changes: tuple[Change, ...] = ()
    """Everything that changed in the window, oldest first (empty without a cluster)."""

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def _iso(when: pd.Timestamp | None) -> str | None:
    return None if when is None else when.isoformat()


def _evidence_json(item: Evidence) -> dict[str, Any]:
    return {
        "metric": item.metric,
        "onset": _iso(item.onset),
        "baseline": item.baseline,
        "peak": item.peak,
        "score": round(item.score, 4),
    }


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "at": _iso(change.at),
        "kind": change.kind,
        "workload": change.workload,
        "subject": change.subject,
        "facts": dict(change.facts),
    }


def to_json(result: RcaResult) -> dict[str, Any]:
    """Plain JSON-ready dict; timestamps as ISO 8601 strings."""
    return {
        "candidates": [
            {
                "entity": item.entity,
                "metric": item.metric,
                "score": round(item.score, 4),
                "onset": _iso(item.onset),
                "baseline": item.baseline,
                "peak": item.peak,
                "direction": item.direction,
                "evidence": [_evidence_json(entry) for entry in item.evidence],
                "changes": [_change_json(change) for change in item.changes],
            }
            for item in result.candidates
        ],
        "incident_start": _iso(result.incident_start),
        "verdict": result.verdict,
        "changes": [_change_json(change) for change in result.changes],
    }
