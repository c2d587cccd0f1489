"""OpenMetrics text with explicit timestamps, the input of ``promtool tsdb
create-blocks-from openmetrics``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["Family", "Series", "render_openmetrics"]

MetricType = Literal["counter", "gauge", "histogram"]


@dataclass(frozen=True)
class Series:
    """Samples of one sample name (e.g. ``x_total`` or ``x_bucket``) and label set."""

    name: str
    labels: Mapping[str, str]
    timestamps: np.ndarray  # unix seconds, ascending
    values: np.ndarray


@dataclass(frozen=True)
class Family:
    """A metric family: ``name`` is the family name (``x`` for samples ``x_total``)."""

    name: str
    type: MetricType
    help: str
    series: tuple[Series, ...]


def _labels(labels: Mapping[str, str]) -> str:
    inner = ",".join(f'{k}="{v}"' for k, v in labels.items())
    return "{" + inner + "}" if inner else ""


def _lines(family: Family) -> Iterable[str]:
    yield f"# TYPE {family.name} {family.type}"
    yield f"# HELP {family.name} {family.help}"
    for series in family.series:
        stamps = np.asarray(series.timestamps).astype(np.int64).tolist()
        if len(series.values) != len(stamps):
            raise ValueError(f"{series.name}: {len(series.values)} values, {len(stamps)} times")
        head = series.name + _labels(series.labels) + " "
        values = np.asarray(series.values, dtype=float).tolist()  # plain floats: fast to format
        for value, stamp in zip(values, stamps, strict=True):
            shown = format(value, ".10g")
            yield f"{head}{'+Inf' if shown == 'inf' else shown} {stamp}"


def render_openmetrics(families: Iterable[Family]) -> str:
    """OpenMetrics text of the families (merged by name), ending with ``# EOF``."""
    merged: dict[str, Family] = {}
    for family in families:
        known = merged.get(family.name)
        if known is None:
            merged[family.name] = family
        elif known.type != family.type:
            raise ValueError(f"family {family.name} is both {known.type} and {family.type}")
        else:
            merged[family.name] = Family(
                family.name, family.type, family.help, known.series + family.series
            )
    lines = [line for family in merged.values() for line in _lines(family)]
    return "\n".join([*lines, "# EOF", ""])
