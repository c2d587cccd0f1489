"""Load forecasting: seasonality detection, an ensemble point forecast, intervals."""

from analysis.forecast.forecaster import Forecast, forecast
from analysis.forecast.point import seasonal_naive
from analysis.forecast.seasonality import detect_periods, detect_season, step_seconds

__all__ = [
    "Forecast",
    "detect_periods",
    "detect_season",
    "forecast",
    "seasonal_naive",
    "step_seconds",
]
