"""The detectors the NAB runner scores: the combined score and each member on its own.

Single detectors are calibrated the same way as inside the combined score (so their
outputs are in [0, 1] and the corpus-wide threshold means the same thing), with repeats
damped; parameters are identical for every file.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from analysis.detectors import (
    Calibration,
    CombinedDetector,
    DbscanNoise,
    InterquartileRange,
    IsolationForest,
    LevelShift,
    Member,
    RangeNovelty,
    RobustZScore,
    SeasonalShift,
    anomaly_scores,
)
from analysis.detectors.seasonal import DAY_SECONDS, period_points

Scorer = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _alone(member: Member) -> Scorer:
    return lambda values, _stamps: CombinedDetector(members=[member]).score(values)


def _seasonal(values: np.ndarray, stamps: np.ndarray, days: int, periods: int, span: int):
    day = period_points(stamps, DAY_SECONDS)
    if day is None:
        return np.zeros(len(values))
    member = Member(SeasonalShift(days * day, periods, span), Calibration(excess="raw"))
    return CombinedDetector(members=[member]).score(values)


DETECTORS: dict[str, Scorer] = {
    "combined": lambda values, stamps: anomaly_scores(values, stamps),
    "range_novelty": _alone(Member(RangeNovelty(), Calibration(excess="raw"))),
    "level_shift": _alone(Member(LevelShift(), Calibration(excess="raw"))),
    "robust_zscore": _alone(Member(RobustZScore(), Calibration(excess="record"))),
    "iqr": _alone(Member(InterquartileRange(), Calibration(excess="record"))),
    "dbscan": _alone(Member(DbscanNoise(), Calibration(excess="record"))),
    "seasonal_day": lambda values, stamps: _seasonal(values, stamps, 1, 5, 6),
    "seasonal_week": lambda values, stamps: _seasonal(values, stamps, 7, 2, 1),
    "isolation_forest": _alone(Member(IsolationForest(), Calibration(excess="record"))),
}
