"""What changed around an incident, and how a change bears on the ranking.

A change is a fact with a time: a rollout (new ReplicaSet, image diff), a ConfigMap or
Secret edited while pods use it, an autoscaler resize, a node condition, a Warning event.
Whoever reads the cluster (``cluster.changes``) turns objects into :class:`Change` values;
this module only relates them to ranked candidates. A rollout or configuration change of
a candidate's workload shortly before its onset is the most common root cause there is:
it raises that candidate and becomes part of the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import pandas as pd

from analysis.evidence import Candidate, Change, ChangeKind, RcaResult
from analysis.workloads import workload_of

__all__ = ["CAUSAL_KINDS", "Change", "ChangeKind", "attach_changes"]

CAUSAL_KINDS: frozenset[ChangeKind] = frozenset({"rollout", "config"})
"""Changes a person makes that can break a workload by themselves."""

BEFORE_ONSET = pd.Timedelta(minutes=15)  # a change this long before an onset may explain it
AFTER_ONSET = pd.Timedelta(minutes=1)  # onsets are measured on a grid: allow one step late
RAISE = 0.5  # a causal change halves the distance of the candidate's score to 1


def _explains(change: Change, candidate: Candidate) -> bool:
    return (
        candidate.score > 0.0
        and change.kind in CAUSAL_KINDS
        and change.workload is not None
        and change.workload == workload_of(candidate.entity)
        and candidate.onset - BEFORE_ONSET <= change.at <= candidate.onset + AFTER_ONSET
    )


def attach_changes(result: RcaResult, changes: Iterable[Change]) -> RcaResult:
    """``result`` with every change in time order, each candidate with the causal
    changes of its workload shortly before its onset, and those candidates raised.

    Raising keeps the order among raised candidates and among the others; a raised
    candidate passes an unraised one only if its raised score is higher. A top
    candidate with such a change makes the verdict ``root_cause``.
    """
    ordered = tuple(sorted(changes, key=lambda change: change.at))
    if not result.candidates:
        return replace(result, changes=ordered)
    updated = []
    for candidate in result.candidates:
        mine = tuple(change for change in ordered if _explains(change, candidate))
        score = candidate.score + RAISE * (1.0 - candidate.score) if mine else candidate.score
        updated.append(replace(candidate, score=score, changes=mine))
    updated.sort(key=lambda candidate: -candidate.score)
    verdict = result.verdict
    if updated[0].changes and verdict != "no_anomaly":
        verdict = "root_cause"
    return replace(result, candidates=tuple(updated), changes=ordered, verdict=verdict)
