"""``cloudops forecast``: offline forecast of a ``timestamp,value`` CSV file.

Register with ``app.command("forecast")(forecast)``. Timestamps are ISO 8601 or Unix
seconds; the step is the median spacing. Output (stdout) is CSV
``step,timestamp,forecast,lower,upper`` with an 80% interval, or JSON with ``--json``.
Bad input prints one line to stderr and exits with code 2.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import typer

from analysis.forecast import forecast as run_forecast
from analysis.forecast import step_seconds
from analysis.timestamps import UnparsableTimestamp, is_unix_seconds, parse_timestamps

__all__ = ["InputSeries", "forecast", "read_series"]

LEVEL = 0.8


@dataclass(frozen=True)
class InputSeries:
    seconds: np.ndarray  # Unix seconds, increasing
    values: np.ndarray
    iso: bool  # timestamps were ISO 8601 (write them back the same way)
    tz_aware: bool


def read_series(path: Path) -> InputSeries:
    """Parse a ``timestamp,value`` CSV; raise ValueError naming the problem."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if not {"timestamp", "value"} <= set(frame.columns):
        raise ValueError(f"{path} needs a header with columns timestamp,value")
    if len(frame) < 3:
        raise ValueError(f"{path} has {len(frame)} data rows; at least 3 are needed")
    values = pd.to_numeric(frame["value"].str.strip(), errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise ValueError(f"row {bad[0] + 2}: value {frame['value'].iloc[bad[0]]!r} is not a number")
    raw = frame["timestamp"].str.strip()
    iso = not is_unix_seconds(raw)
    if iso:
        try:
            stamps = parse_timestamps(raw)
        except UnparsableTimestamp as exc:
            raise ValueError(
                f"row {exc.position + 2}: timestamp {exc.value!r} is neither ISO 8601 "
                "nor Unix seconds"
            ) from exc
        # naive timestamps are read as UTC and written back naive
        tz_aware = pd.Timestamp(raw.iloc[-1]).tzinfo is not None
        seconds = stamps.to_numpy("datetime64[ns]").astype(np.int64) / 1e9
    else:
        tz_aware, seconds = False, pd.to_numeric(raw).to_numpy(float)
    steps = np.diff(seconds)
    if np.any(steps <= 0):
        row = int(np.flatnonzero(steps <= 0)[0]) + 3
        raise ValueError(f"row {row}: timestamps must be strictly increasing")
    return InputSeries(seconds=seconds, values=values, iso=iso, tz_aware=tz_aware)


def _format_times(series: InputSeries, seconds: np.ndarray) -> list[str]:
    if not series.iso:
        whole = np.all(np.mod(seconds, 1.0) == 0)
        return [str(int(s)) if whole else f"{s:.3f}" for s in seconds]
    stamps = pd.to_datetime(np.round(seconds * 1e9).astype(np.int64), unit="ns", utc=True)
    if not series.tz_aware:
        stamps = stamps.tz_localize(None)
    return [s.isoformat() for s in stamps]


# typer reads options from default values; module-level singletons keep ruff's B008 quiet
_INPUT = typer.Option(..., "--input", help="CSV file with columns timestamp,value")
_HORIZON = typer.Option(..., "--horizon", help="number of steps to forecast")
_SEASON = typer.Option(None, "--season", help="steps per season (detected if omitted)")
_JSON = typer.Option(False, "--json", help="write JSON instead of CSV")


def forecast(
    input: Path = _INPUT,
    horizon: int = _HORIZON,
    season: int | None = _SEASON,
    json_out: bool = _JSON,
) -> None:
    """Forecast the next HORIZON steps of a timestamp,value CSV with an 80% interval."""
    try:
        if horizon < 1:
            raise ValueError(f"--horizon must be at least 1, got {horizon}")
        if season is not None and season < 1:
            raise ValueError(f"--season must be at least 1, got {season}")
        series = read_series(input)
        step = step_seconds(series.seconds)
        fc = run_forecast(
            series.values, horizon, season=season, timestamps=series.seconds, level=LEVEL
        )
    except ValueError as exc:
        typer.echo("error: " + " ".join(str(exc).split()), err=True)
        raise typer.Exit(code=2) from exc
    times = _format_times(series, series.seconds[-1] + step * np.arange(1, horizon + 1))
    rows = [
        {
            "step": i + 1,
            "timestamp": ts,
            "forecast": float(m),
            "lower": float(lo),
            "upper": float(hi),
        }
        for i, (ts, m, lo, hi) in enumerate(zip(times, fc.mean, fc.lower, fc.upper, strict=True))
    ]
    if json_out:
        typer.echo(json.dumps({"season": fc.season, "points": rows}))
        return
    buffer = io.StringIO()
    pd.DataFrame(rows).to_csv(buffer, index=False, float_format="%.6g", lineterminator="\n")
    typer.echo(buffer.getvalue(), nl=False)
