"""Rank the entities most likely to have caused an incident, from metrics alone.

For every series, the departure around the incident start is measured against a
reference baseline (robust z-score, sustained over two points, see ``onset``). The
start is a hint, not the truth: the reference ends up to ``LOOKBACK`` before it, so a
series that left its baseline before a late start (an alert's ``for:`` clause, a person
typing ``/rca`` late) still shows its whole departure and its true onset.

A departure's magnitude is the log of its robust z above the noise floor: it does not
saturate, so CPU going from 1 % to 100 % outweighs a modest request-rate change. It is
weighed by what the metric says about its entity (``metric_kinds``: resource use and
limits are cause-type evidence, latency and errors symptoms, request rates and traffic
mostly effects); what the same metric shows on most other entities is subtracted (a
shared effect). A call-edge series (entity ``caller->callee``) is evidence of both its
ends, weighed by how many of each end's calls are anomalous (``calls``). An entity is
represented by its strongest weighted metric. Its score is that magnitude times a mix of
three cues: the magnitude itself, how much a lead-lag walk over the anomalous entities
settles on it (``propagation``), and how early its onset is. Scores are reported on a
0..1 scale (``tanh`` of the magnitude), which keeps the order.
"""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase

import numpy as np
import pandas as pd

from analysis.calls import Attribution, attribute, split_edge
from analysis.evidence import Candidate, Evidence, RcaResult, Verdict, to_json
from analysis.frames import SeriesMatrix, pivot_series
from analysis.metric_kinds import KIND_WEIGHTS, kind_of, kind_weights
from analysis.onset import MIN_BASELINE, Z_FLOOR, Z_SPREAD, Scan, onset_cluster, scan_matrix
from analysis.propagation import cause_graph, personalised_pagerank
from analysis.workloads import workload_of

__all__ = ["RcaResult", "rank_root_causes", "to_json"]

MIX_STRENGTH, MIX_WALK, MIX_EARLY = 0.6, 0.25, 0.15
GRAPH_SIZE = 40  # entities taking part in the lead-lag walk
EVIDENCE_FLOOR = 0.2  # weighted magnitude below which a metric is not evidence
LOOKBACK = pd.Timedelta(minutes=5)  # how far before the start a series' own onset is sought
NO_ANOMALY_BELOW = 0.2  # top score under this: nothing to report
AMBIGUOUS_GAP = 0.1  # top two closer than this (relative to the top): ambiguous
PEER_QUANTILE = 0.75  # strength a metric shows on many entities is a shared effect
PEER_MIN = 8  # fewest workloads for a peer comparison (a quarter is then >= 2 of them)


def _weights(keys: tuple[tuple[str, str], ...], metric_weights: Mapping[str, float] | None):
    """Weight per series: its metric kind's weight times the configured one (keys of
    ``metric_weights`` may be exact names or glob patterns)."""
    kinds = kind_weights(metric for _, metric in keys)
    if not metric_weights:
        return kinds
    exact = {name: float(w) for name, w in metric_weights.items() if "*" not in name}
    patterns = [(name, float(w)) for name, w in metric_weights.items() if "*" in name]
    found: dict[str, float] = {}
    for _, metric in keys:
        if metric not in found:
            match = exact.get(metric)
            if match is None:
                match = next((w for p, w in patterns if fnmatchcase(metric, p)), 1.0)
            found[metric] = match
    return kinds * np.array([found[metric] for _, metric in keys])


def _peer_adjusted(strength: np.ndarray, keys: tuple[tuple[str, str], ...]) -> np.ndarray:
    """Strength above what the same metric shows on most workloads.

    A metric that departs on a quarter of the workloads or more (a load change, a
    node-wide effect) says little about which one caused the incident: each series keeps
    only its strength above the upper quartile of that metric's per-workload strengths
    (replicas of one workload count once; metrics seen on fewer than ``PEER_MIN``
    workloads are kept as they are). Call-edge series are kept as they are: many
    anomalous edges around one workload are the signal (``calls.attribute``).
    """
    table = pd.DataFrame(
        {
            "metric": [metric for _, metric in keys],
            "workload": [workload_of(entity) for entity, _ in keys],
            "strength": strength,
        }
    )
    per_workload = table.groupby(["metric", "workload"], sort=False)["strength"].max()
    by_metric = per_workload.groupby(level="metric", sort=False)
    common = by_metric.quantile(PEER_QUANTILE).where(by_metric.size() >= PEER_MIN, 0.0)
    shared = table["metric"].map(common).to_numpy(dtype=float, copy=True)
    shared[[split_edge(entity) is not None for entity, _ in keys]] = 0.0
    return np.clip(strength - shared, 0.0, None)


def _start_index(matrix: SeriesMatrix, incident_start: pd.Timestamp | None) -> int | None:
    if incident_start is None:
        return onset_cluster(matrix, baseline_fraction=1 / 3, min_strength=0.3, cluster=2)
    when = pd.Timestamp(incident_start)
    if when.tzinfo is None:
        raise ValueError("incident_start must be tz-aware")
    index = matrix.index_of(when)
    if index < 2 or index >= len(matrix.times) - 1:
        raise ValueError(
            f"incident_start {when.isoformat()} leaves too little data before or after it "
            f"(window {matrix.times[0].isoformat()} .. {matrix.times[-1].isoformat()})"
        )
    return index


def _reference_end(matrix: SeriesMatrix, start: int, begin: int) -> int:
    """End of the reference baseline: ``LOOKBACK`` before the start, but keeping at least
    half of the points before the start and twice ``MIN_BASELINE`` of them (a short
    baseline keeps every point: its median and scale need them more)."""
    back = start - matrix.index_of(matrix.times[start] - LOOKBACK)
    back = min(back, (start - begin) // 2, start - begin - 2 * MIN_BASELINE)
    return start - max(0, back)


def magnitude_of(peak_z: np.ndarray) -> np.ndarray:
    """Log of the robust z above the noise floor: 0 for noise, unbounded above."""
    return np.asarray(np.log1p(np.clip(np.abs(peak_z) - Z_FLOOR, 0.0, None)))


def display_score(magnitude: np.ndarray | float) -> np.ndarray:
    """A magnitude on the 0..1 scale cards and JSON show (same order)."""
    return np.asarray(np.tanh(np.asarray(magnitude, dtype=float) / Z_SPREAD))


def _explained_by_callees(
    keys: tuple[tuple[str, str], ...], weighted: np.ndarray, onsets: np.ndarray
) -> np.ndarray:
    """Factor per series: 1, or less for a caller's latency or errors that its slow call
    explains.

    When a workload's call to another workload departs at least as much as the
    workload's own latency or errors, and not later, the caller is waiting on its callee:
    its symptom is the callee's effect and weighs like load (``KIND_WEIGHTS``).
    """
    factor = np.ones(len(keys))
    calls: dict[str, list[tuple[float, int]]] = {}
    for row, (entity, _) in enumerate(keys):
        pair = split_edge(entity)
        if pair is not None and weighted[row] > 0:
            calls.setdefault(pair[0], []).append((float(weighted[row]), int(onsets[row])))
    if not calls:
        return factor
    explained = KIND_WEIGHTS["load"] / KIND_WEIGHTS["symptom"]
    for row, (entity, metric) in enumerate(keys):
        if weighted[row] <= 0 or split_edge(entity) is not None or kind_of(metric) != "symptom":
            continue
        outgoing = calls.get(workload_of(entity), ())
        if any(size >= EVIDENCE_FLOOR and onset <= onsets[row] + 1 for size, onset in outgoing):
            factor[row] = explained
    return factor


def _entity_best(entities: np.ndarray, weighted: np.ndarray) -> np.ndarray:
    """Index of the strongest series of every entity, strongest entity first."""
    order = np.lexsort((-weighted, entities))
    first = np.ones(len(order), dtype=bool)
    first[1:] = entities[order][1:] != entities[order][:-1]
    best = order[first]
    return best[np.argsort(-weighted[best], kind="stable")]


def _walk_and_earliness(scan: Scan, rows: np.ndarray, start: int, stop: int, strength):
    """Normalised PageRank share and earliness of the entities' best series."""
    onsets = np.where(scan.onset[rows] >= 0, scan.onset[rows], scan.peak_index[rows])
    window = scan.z[rows, max(0, 2 * start - stop) : stop]
    oriented = window * np.sign(scan.peak_z[rows])[:, None]
    rank = personalised_pagerank(cause_graph(oriented, onsets), strength)
    walk = rank / rank.max() if rank.max() > 0 else rank
    early = 1.0 - (onsets - onsets.min()) / max(1, stop - start)
    return walk, np.clip(early, 0.0, 1.0)


def _verdict(scores: np.ndarray, workloads: list[str]) -> Verdict:
    """Ambiguous only when another workload comes close: replicas of one are one cause.
    ``scores`` are raw (unbounded) scores, best first."""
    if scores.size == 0 or display_score(scores[0]) < NO_ANOMALY_BELOW:
        return "no_anomaly"
    rivals = [
        score for score, name in zip(scores[1:], workloads[1:], strict=True) if name != workloads[0]
    ]
    if rivals and scores[0] - rivals[0] < AMBIGUOUS_GAP * scores[0]:
        return "ambiguous"
    return "root_cause"


def rank_root_causes(
    frame: pd.DataFrame,
    incident_start: pd.Timestamp | None = None,
    top: int = 5,
    metric_weights: Mapping[str, float] | None = None,
    horizon: pd.Timedelta | None = None,
    baseline: pd.Timedelta | None = None,
) -> RcaResult:
    """Rank entities of a tidy frame by how likely they caused the incident.

    ``incident_start`` defaults to the onset cluster found by ``onset.incident_start``;
    ``horizon`` limits how long after the start departures are considered and
    ``baseline`` how long before it the baseline reaches (default: the whole window);
    ``metric_weights`` scales the strength of metrics (exact names or globs like
    ``"Node*"``; unlisted metrics weigh 1).
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    matrix = pivot_series(frame)
    if len(matrix.times) < MIN_BASELINE + 2:
        raise ValueError(f"need at least {MIN_BASELINE + 2} timestamps, got {len(matrix.times)}")
    start = _start_index(matrix, incident_start)
    if start is None:
        return RcaResult(candidates=(), incident_start=None, verdict="no_anomaly")
    stop = len(matrix.times)
    if horizon is not None:
        stop = max(start + 2, matrix.index_of(matrix.times[start] + horizon))
    begin = 0
    if baseline is not None:
        begin = min(start - 2, matrix.index_of(matrix.times[start] - baseline))
    scan = scan_matrix(matrix.values, _reference_end(matrix, start, begin), stop, begin)
    weights = _weights(matrix.keys, metric_weights)
    entities = np.array([entity for entity, _ in matrix.keys])
    weighted = _peer_adjusted(magnitude_of(scan.peak_z), matrix.keys) * weights
    onsets = np.where(scan.onset >= 0, scan.onset, scan.peak_index)
    weighted *= _explained_by_callees(matrix.keys, weighted, onsets)
    items = attribute(entities, weighted, shares=display_score(weighted))
    best = _entity_best(items.owners, items.strengths)
    best = best[items.strengths[best] > 0][:GRAPH_SIZE]
    if best.size == 0:
        return RcaResult(candidates=(), incident_start=matrix.times[start], verdict="no_anomaly")
    strength = items.strengths[best]
    walk, early = _walk_and_earliness(scan, items.rows[best], start, stop, strength)
    scores = strength * (MIX_STRENGTH + MIX_WALK * walk + MIX_EARLY * early)
    order = np.argsort(-scores, kind="stable")
    chosen = [int(best[i]) for i in order[:top]]
    shown = display_score(scores)
    ranked = [(items, item, float(shown[i])) for item, i in zip(chosen, order, strict=False)]
    faint = attribute(entities, np.abs(scan.peak_z) * weights, relative=True)
    ranked += [(faint, item, 0.0) for item in _quiet_fill(faint, chosen, top, items.owners)]
    candidates = tuple(
        _candidate(matrix, scan, items, source.owners[item], int(source.rows[item]), score)
        for source, item, score in ranked
    )
    workloads = [workload_of(str(items.owners[best[i]])) for i in order]
    return RcaResult(candidates, matrix.times[start], _verdict(scores[order], workloads))


def _quiet_fill(faint: Attribution, taken: list[int], top: int, owners: np.ndarray) -> list[int]:
    """Items of the entities that moved most below the noise floor, to fill a short list.

    When fewer than ``top`` entities depart, the rest of the ranking is still informative
    (a faint departure beats none): entities not yet listed are ordered by the largest
    sustained |z| of any of their series (``faint``, weighted like the strengths) and
    get score 0.
    """
    missing = top - len(taken)
    if missing <= 0:
        return []
    listed = {str(owners[item]) for item in taken}
    order = _entity_best(faint.owners, faint.strengths)
    return [int(item) for item in order if str(faint.owners[item]) not in listed][:missing]


def _evidence(matrix: SeriesMatrix, scan: Scan, row: int, score: float) -> Evidence:
    onset = scan.onset[row] if scan.onset[row] >= 0 else scan.peak_index[row]
    entity, metric = matrix.keys[row]
    return Evidence(
        metric=metric if split_edge(entity) is None else f"{metric} ({entity})",
        onset=matrix.times[onset],
        baseline=float(scan.median[row]),
        peak=float(matrix.values[row, scan.peak_index[row]]),
        score=score,
    )


def _candidate(
    matrix: SeriesMatrix,
    scan: Scan,
    items: Attribution,
    owner: str,
    row: int,
    score: float,
) -> Candidate:
    """``owner`` described by series ``row`` first, then all its evidence in ``items``."""
    mine = np.flatnonzero((items.owners == owner) & (items.strengths >= EVIDENCE_FLOOR))
    mine = mine[np.argsort(-items.strengths[mine], kind="stable")]
    head = _evidence(matrix, scan, row, score)
    return Candidate(
        entity=str(owner),
        metric=head.metric,
        score=score,
        onset=head.onset,
        baseline=head.baseline,
        peak=head.peak,
        direction="up" if scan.peak_z[row] > 0 else "down",
        series=None if matrix.keys[row][0] == owner else matrix.keys[row],
        evidence=tuple(
            _evidence(matrix, scan, int(items.rows[i]), float(display_score(items.strengths[i])))
            for i in mine
        ),
    )
