"""The forecast skill's timestamps are epoch seconds whatever the index resolution."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from skills.service_forecast import plan_forecast


@pytest.mark.parametrize("unit", ["ns", "us", "ms", "s"])
def test_a_short_step_forecasts_at_any_index_resolution(unit: str) -> None:
    times = pd.date_range("2026-12-01", periods=8 * 24 * 4, freq="15min", tz="UTC")
    daily = 100 + 40 * np.sin(2 * np.pi * np.arange(len(times)) / 96)
    qps = pd.Series(daily, index=times.as_unit(unit))
    view = plan_forecast(
        qps, timedelta(hours=6), service="payments", namespace="payments", deployment="payments"
    )
    assert len(view.future) == 24
    # The forecast follows the daily cycle: its peak lies within an hour of the true one.
    true_peak = max(
        view.future, key=lambda t: np.sin(2 * np.pi * ((t - times[0]) / pd.Timedelta("1D")))
    )
    assert abs(view.peak_time - true_peak.to_pydatetime()) <= timedelta(hours=1)
