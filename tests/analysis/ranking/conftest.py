"""Synthetic incidents: a known culprit departs first, its dependants follow."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import pytest

START = pd.Timestamp("2024-05-01 10:00", tz="UTC")
STEP = pd.Timedelta(minutes=1)

# entity -> (metric, minutes after the culprit's onset it departs, shift in noise units)
Departures = Mapping[str, tuple[str, int, float]]


def make_incident(
    departures: Departures,
    onset: int = 40,
    length: int = 60,
    healthy: tuple[str, ...] = ("cache", "queue", "auth"),
    seed: int = 0,
) -> pd.DataFrame:
    """Tidy frame: every entity has cpu and latency series with unit noise on a level;
    the entities in ``departures`` shift one metric by ``shift`` from ``onset + delay``
    on (a ramp over two points, then a plateau with the same noise)."""
    rng = np.random.default_rng(seed)
    times = pd.date_range(START, periods=length, freq=STEP)
    rows = []
    for entity in (*departures, *healthy):
        for metric, level in (("cpu", 40.0), ("latency", 20.0)):
            values = level + rng.normal(0.0, 1.0, length)
            if entity in departures and departures[entity][0] == metric:
                _, delay, shift = departures[entity]
                begin = onset + delay
                values[begin:] += shift
                values[begin] -= shift / 2
            rows.append(
                pd.DataFrame(
                    {"timestamp": times, "entity": entity, "metric": metric, "value": values}
                )
            )
    return pd.concat(rows, ignore_index=True)


@pytest.fixture
def incident() -> Callable[..., pd.DataFrame]:
    return make_incident


@pytest.fixture
def start() -> pd.Timestamp:
    return START
