"""Load the system receives: entry traffic with a daily season and noise, and load shifts
on services unrelated to the fault (a distraction, never the cause)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.synthetic.noise import ar1, daily_season
from analysis.synthetic.topology import Topology

__all__ = ["Traffic", "draw_traffic"]


@dataclass(frozen=True)
class Traffic:
    """``entry``: requests per second arriving at each entry service ``[entry, step]``;
    ``shift``: load factor per service ``[service, step]`` (1 = no shift), passed on to
    its callees; ``shifted``: the shifted service or None; ``patience``: how much the
    arriving traffic drops as the entries' latency grows (closed-loop clients)."""

    entry: np.ndarray
    shift: np.ndarray
    shifted: int | None
    patience: float


def draw_traffic(
    topology: Topology,
    seconds: np.ndarray,
    onset: int,
    related: set[int],
    rng: np.random.Generator,
    shift_chance: float = 0.3,
) -> Traffic:
    """Traffic for a window at unix ``seconds``; with ``shift_chance`` a service outside
    ``related`` (and whose callees are all outside it) gets a load shift near ``onset``."""
    steps = len(seconds)
    season = daily_season(seconds, rng.uniform(0.2, 0.5), rng.uniform(0, 24))
    base = rng.uniform(20, 500, topology.entries)
    entry = base[:, None] * season[None, :] * (1 + ar1(topology.entries, steps, 0.03, rng))
    shift = np.ones((len(topology.services), steps))
    free = [
        s
        for s in range(len(topology.services))
        if s not in related and not topology.descendants(s) & related
    ]
    shifted = None
    if free and rng.random() < shift_chance:
        shifted = int(rng.choice(free))
        at = int(np.clip(onset + rng.integers(-steps // 6, steps // 6 + 1), 1, steps - 2))
        factor = rng.uniform(1.8, 3.0) if rng.random() < 0.6 else rng.uniform(0.3, 0.55)
        length = int(rng.integers(1, 4))
        ramp = np.clip((np.arange(steps) - at + 1) / length, 0, 1)
        shift[shifted] = 1 + (factor - 1) * ramp
    return Traffic(entry, shift, shifted, float(rng.uniform(0.02, 0.1)))
