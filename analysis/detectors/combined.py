"""One calibrated anomaly score in [0, 1] from several detectors.

With timestamps, two seasonal members join (same time yesterday and last week, see
`analysis.detectors.seasonal`). Each member detector's raw score is calibrated against
its own history (`analysis.detectors.calibration`), the calibrated scores are fused by
their maximum, and repeats within `repeat_span` points are damped so that one incident
gives one alert.
Every step is causal; the streaming class gives the same numbers point by point.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from analysis.detectors.base import Detector, as_series
from analysis.detectors.calibration import Calibration, suppress_repeats
from analysis.detectors.level_shift import LevelShift
from analysis.detectors.range_novelty import RangeNovelty
from analysis.detectors.robust_zscore import RobustZScore
from analysis.detectors.seasonal import DAY_SECONDS, SeasonalShift, period_points

__all__ = ["CombinedDetector", "Member", "anomaly_scores", "default_members"]

REPEAT_FACTOR = 0.5


@dataclass(frozen=True)
class Member:
    """A detector taking part in the combined score, with its calibration."""

    detector: Detector
    calibration: Calibration


def default_members(history: int = 8000, day: int | None = None) -> list[Member]:
    """The members that score best on NAB (see benchmarks/results/nab.md).

    `day`: points per day; when known, the seasonal members compare with the median of
    the last five days (6-point means) and of the last two weeks.
    """
    members = [
        Member(RangeNovelty(window=8000), Calibration(history, 1.0, "raw")),
        Member(LevelShift(span=6, window=8000), Calibration(history, 1.0, "raw")),
        Member(RobustZScore(window=800), Calibration(history, 0.5, "record")),
    ]
    if day is not None and day >= 2:
        members += [
            Member(SeasonalShift(day, periods=5, span=6), Calibration(history, 1.0, "raw")),
            Member(SeasonalShift(7 * day, periods=2, span=1), Calibration(history, 1.0, "raw")),
        ]
    return members


@dataclass
class CombinedDetector:
    """Fused, calibrated score in [0, 1]; `score` for a window, `update` for a stream."""

    members: list[Member] = field(default_factory=default_members)
    repeat_span: int = 50
    name: str = "combined"
    _raw: list[deque[float]] = field(default_factory=list, init=False, repr=False)
    _fused: deque[float] = field(default_factory=deque, init=False, repr=False)

    def score(self, values: np.ndarray) -> np.ndarray:
        x = as_series(values)
        if len(x) == 0:
            return x
        fused = np.maximum.reduce([m.calibration.apply(m.detector.score(x)) for m in self.members])
        return suppress_repeats(fused, self.repeat_span, REPEAT_FACTOR)

    def update(self, value: float) -> float:
        if not self._raw:
            self._raw = [deque(maxlen=m.calibration.history) for m in self.members]
            self._fused = deque(maxlen=self.repeat_span)
        fused = 0.0
        for member, past in zip(self.members, self._raw, strict=True):
            raw = member.detector.update(value)
            history = np.fromiter(past, dtype=float, count=len(past))
            fused = max(fused, member.calibration.apply_one(raw, history))
            past.append(raw)
        beats = not self._fused or fused > max(self._fused)
        self._fused.append(fused)
        return fused if beats else fused * REPEAT_FACTOR

    def reset(self) -> None:
        for member in self.members:
            member.detector.reset()
        self._raw = []
        self._fused = deque()


def anomaly_scores(values: np.ndarray, timestamps: np.ndarray | None = None) -> np.ndarray:
    """Causal anomaly score in [0, 1] for every point of a series.

    `timestamps` (optional, same length; epoch seconds or numpy datetimes) only give the
    sampling step, hence how many points make a day for the seasonal members; without
    them no seasonal member runs. The detectors work on the order of the points, as given
    (real feeds do step back in time now and then).
    """
    x = as_series(values)
    day = None
    if timestamps is not None:
        stamps = np.asarray(timestamps)
        if stamps.shape != x.shape:
            raise ValueError(f"got {len(stamps)} timestamps for {len(x)} values")
        day = period_points(stamps, DAY_SECONDS)
    return CombinedDetector(members=default_members(day=day)).score(x)
