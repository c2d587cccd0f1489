"""Published metric-based RCA baselines, as RCAEval implements them (not product code).

BARO (Pham et al., FSE'24) and N-Sigma, ported from RCAEval 1.8.1
(github.com/phamquiluan/RCAEval, ``RCAEval/e2e/baro.py`` and ``nsigma`` in
``RCAEval/e2e/__init__.py``). ``pip install rcaeval`` does not import on Python 3.11
here (it needs the undeclared ``tqdm`` and imports its torch-based methods eagerly on
3.11), so the two methods are reimplemented step by step:

1. split the window at the given anomaly time: normal = before it, anomalous = from it on;
2. ``preprocess`` each part: drop the columns that are constant within that part, keep
   the columns left in both parts;
3. per column, fit the scaler on the normal part (BARO: sklearn ``RobustScaler``, centre
   median, scale the inter-quartile range; N-Sigma: ``StandardScaler``, mean and
   population std; a zero scale becomes 1, as sklearn does) and score the column by the
   MAXIMUM of the scaled anomalous values -- signed, as the reference code does, so a
   metric that only drops scores low;
4. rank columns by score; a service's rank is the rank of its best column.

A column here is one (entity, metric) series of a tidy frame on its shared time grid
(gaps filled from neighbouring samples by ``analysis.frames.pivot_series``; a baseline
takes the tidy frame or, to pivot once for several, its ``SeriesMatrix``). Call-edge
series (``caller->callee``) are left out: the methods have no notion of them.
Neither method finds the anomaly time itself in RCAEval (the "detected" mode has no
baseline counterpart): ``incident_start=None`` raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import pandas as pd

from analysis.calls import split_edge
from analysis.frames import SeriesMatrix, pivot_series

__all__ = ["BASELINES", "baro", "baro_abs", "nsigma"]

Metrics: TypeAlias = pd.DataFrame | SeriesMatrix
Baseline = Callable[[Metrics, pd.Timestamp], list[str]]


def _split(metrics: Metrics, incident_start: pd.Timestamp):
    matrix = metrics if isinstance(metrics, SeriesMatrix) else pivot_series(metrics)
    keep = [split_edge(entity) is None for entity, _ in matrix.keys]
    values = matrix.values[keep]
    entities = [entity for (entity, _), kept in zip(matrix.keys, keep, strict=True) if kept]
    cut = matrix.index_of(pd.Timestamp(incident_start))
    normal, anomalous = values[:, :cut], values[:, cut:]
    if normal.shape[1] == 0 or anomalous.shape[1] == 0:
        raise ValueError("the anomaly time leaves no normal or no anomalous period")
    # RCAEval.io.time_series.drop_constant on each part, then the intersection
    varies = (np.ptp(normal, axis=1) > 0) & (np.ptp(anomalous, axis=1) > 0)
    return np.array(entities)[varies], normal[varies], anomalous[varies]


def _non_zero(scale: np.ndarray) -> np.ndarray:
    """sklearn's ``_handle_zeros_in_scale``: scales near zero become 1."""
    tiny = scale < 10 * np.finfo(scale.dtype).eps
    return np.where(tiny, 1.0, scale)


def _ranked(entities: np.ndarray, scores: np.ndarray) -> list[str]:
    """Entities by their best column's score (stable: ties keep the column order)."""
    order = np.argsort(-scores, kind="stable")
    seen: dict[str, None] = {}
    for i in order:
        seen.setdefault(str(entities[i]), None)
    return list(seen)


def _robust_scores(metrics: Metrics, incident_start: pd.Timestamp) -> tuple:
    entities, normal, anomalous = _split(metrics, incident_start)
    q1, median, q3 = np.percentile(normal, [25, 50, 75], axis=1)
    scaled = (anomalous - median[:, None]) / _non_zero(q3 - q1)[:, None]
    return entities, scaled


def baro(metrics: Metrics, incident_start: pd.Timestamp) -> list[str]:
    """BARO's root-cause ranking (RobustScaler, signed max), entities best first."""
    entities, scaled = _robust_scores(metrics, incident_start)
    return _ranked(entities, scaled.max(axis=1))


def baro_abs(metrics: Metrics, incident_start: pd.Timestamp) -> list[str]:
    """BARO with the largest |scaled value| (a drop counts as much as a rise)."""
    entities, scaled = _robust_scores(metrics, incident_start)
    return _ranked(entities, np.abs(scaled).max(axis=1))


def nsigma(metrics: Metrics, incident_start: pd.Timestamp) -> list[str]:
    """N-Sigma (StandardScaler, signed max), entities best first."""
    entities, normal, anomalous = _split(metrics, incident_start)
    mean, std = normal.mean(axis=1), normal.std(axis=1)
    scaled = (anomalous - mean[:, None]) / _non_zero(std)[:, None]
    return _ranked(entities, scaled.max(axis=1))


BASELINES: dict[str, Baseline] = {"baro": baro, "baro-abs": baro_abs, "nsigma": nsigma}
