"""Synthetic series shared by the detector tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

N_POINTS = 1200
ANOMALY_AT = 900


def seasonal_noise(seed: int = 7, n: int = N_POINTS) -> np.ndarray:
    """A daily-like cycle (period 96) plus Gaussian noise, like a CPU metric."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 10.0 + np.sin(2 * np.pi * t / 96) + rng.normal(0.0, 0.2, n)


@pytest.fixture
def anomaly_at() -> int:
    """Index where the spike and the level shift are injected."""
    return ANOMALY_AT


@pytest.fixture
def clean() -> np.ndarray:
    return seasonal_noise()


@pytest.fixture
def spiked() -> np.ndarray:
    values = seasonal_noise()
    values[ANOMALY_AT] += 6.0
    return values


@pytest.fixture
def shifted() -> np.ndarray:
    values = seasonal_noise()
    values[ANOMALY_AT:] += 4.0
    return values


@pytest.fixture(scope="session")
def nab_scoring() -> ModuleType:
    """benchmarks/nab_scoring.py, loaded by path (benchmarks/ is not a package)."""
    path = Path(__file__).resolve().parents[3] / "benchmarks" / "nab_scoring.py"
    spec = importlib.util.spec_from_file_location("nab_scoring", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["nab_scoring"] = module
    spec.loader.exec_module(module)
    return module
