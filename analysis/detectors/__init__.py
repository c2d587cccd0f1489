"""Causal anomaly detectors: each scores a whole window or a stream, point by point.

`anomaly_scores(values)` gives the combined, calibrated score in [0, 1].
"""

from analysis.detectors.base import Detector, TrailingDetector
from analysis.detectors.calibration import Calibration
from analysis.detectors.combined import CombinedDetector, Member, anomaly_scores
from analysis.detectors.dbscan import DbscanNoise
from analysis.detectors.iqr import InterquartileRange
from analysis.detectors.isolation_forest import IsolationForest
from analysis.detectors.level_shift import LevelShift
from analysis.detectors.range_novelty import RangeNovelty
from analysis.detectors.robust_zscore import RobustZScore
from analysis.detectors.seasonal import SeasonalShift

__all__ = [
    "Calibration",
    "CombinedDetector",
    "DbscanNoise",
    "Detector",
    "InterquartileRange",
    "IsolationForest",
    "LevelShift",
    "Member",
    "RangeNovelty",
    "RobustZScore",
    "SeasonalShift",
    "TrailingDetector",
    "anomaly_scores",
]
