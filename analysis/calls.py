"""Call edges: series measured on a call from one workload to another.

A service mesh reports latency and errors per call edge (Istio's ``source_workload`` and
``destination_workload`` labels); in a tidy frame such a series has the entity
``"<caller>-><callee>"``. A slow or failing workload shows on the edges it takes part
in, both the calls it serves and the calls it makes, while a caller of a slow callee
shows on one of its edges only. So each endpoint of an anomalous edge gets the edge's
strength times the mean strength over all of that endpoint's edges: the workload common
to the anomalous edges (the smallest set of workloads that explains them) comes first,
and a caller with many healthy calls does not take the blame for one slow callee.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["EDGE_SEPARATOR", "Attribution", "attribute", "edge_entity", "split_edge"]

EDGE_SEPARATOR = "->"


def edge_entity(caller: str, callee: str) -> str:
    """The tidy-frame entity of the call edge from ``caller`` to ``callee``."""
    return f"{caller}{EDGE_SEPARATOR}{callee}"


def split_edge(entity: str) -> tuple[str, str] | None:
    """``"frontend->cart"`` -> ``("frontend", "cart")``; ``None`` for any other entity."""
    caller, separator, callee = entity.partition(EDGE_SEPARATOR)
    if not separator or not caller or not callee or EDGE_SEPARATOR in callee:
        return None
    return caller, callee


@dataclass(frozen=True)
class Attribution:
    """Series strengths assigned to the entities they speak for.

    Item ``i`` says that series ``rows[i]`` is evidence of ``owners[i]`` with strength
    ``strengths[i]``. A plain series is one item owned by its entity; an edge series
    is one item per endpoint.
    """

    rows: np.ndarray
    owners: np.ndarray
    strengths: np.ndarray


def attribute(
    entities: np.ndarray,
    strength: np.ndarray,
    *,
    relative: bool = False,
    shares: np.ndarray | None = None,
) -> Attribution:
    """Assign every series' strength to the entities it is evidence of (see module doc).

    An end's share is the mean over its edges of ``shares`` (default: ``strength``), which
    should lie in [0, 1]. ``relative``: the share is that mean over the largest, for
    strengths not bounded by 1 (raw |z|), so that edge items keep the strengths' scale.
    """
    basis = strength if shares is None else shares
    pairs = {row: split_edge(str(entity)) for row, entity in enumerate(entities)}
    edges = {row: pair for row, pair in pairs.items() if pair is not None}
    plain = np.array([row for row, pair in pairs.items() if pair is None], dtype=int)
    rows, owners, strengths = [plain], [entities[plain].astype(str)], [strength[plain]]
    if edges:
        per_edge: dict[tuple[str, str], float] = {}
        for row, pair in edges.items():
            per_edge[pair] = max(per_edge.get(pair, 0.0), float(basis[row]))
        incident: dict[str, list[float]] = {}
        for (caller, callee), value in per_edge.items():
            incident.setdefault(caller, []).append(value)
            incident.setdefault(callee, []).append(value)
        share = {
            name: float(np.mean(values) / (max(values) if relative and max(values) > 0 else 1.0))
            for name, values in incident.items()
        }
        edge_rows = np.array(list(edges), dtype=int)
        for end in (0, 1):
            names = [edges[row][end] for row in edge_rows]
            rows.append(edge_rows)
            owners.append(np.array(names, dtype=str))
            strengths.append(strength[edge_rows] * np.array([share[name] for name in names]))
    return Attribution(
        rows=np.concatenate(rows),
        owners=np.concatenate(owners),
        strengths=np.concatenate(strengths).astype(float),
    )
