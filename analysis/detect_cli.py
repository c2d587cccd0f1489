"""`cloudops detect`: causal anomaly scores for a `timestamp,value` CSV.

Register with `app.command("detect")(detect)`. Timestamps are ISO 8601 or Unix seconds.
Output: CSV `timestamp,value,anomaly_score` on stdout, or JSON with `--json`.
Bad input: one error line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import typer

from analysis.detectors import anomaly_scores
from analysis.timestamps import UnparsableTimestamp, parse_timestamps

__all__ = ["detect", "read_series"]

BAD_INPUT = 2


def _parse_timestamps(raw: pd.Series) -> pd.Series:
    try:
        return parse_timestamps(raw)
    except UnparsableTimestamp as exc:
        raise ValueError(f"row {exc.position + 1}: unparsable timestamp {exc.value!r}") from exc


def read_series(path: Path) -> tuple[pd.Series, np.ndarray]:
    """Timestamps (UTC) and values of a `timestamp,value` CSV; ValueError on bad input."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise ValueError(f"cannot read {path}: {e}") from e
    missing = [c for c in ("timestamp", "value") if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; need timestamp,value")
    if frame.empty:
        raise ValueError(f"{path}: no data rows")
    values = pd.to_numeric(frame["value"].str.strip(), errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype=float))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"row {row + 1}: unparsable value {frame['value'].iloc[row]!r}")
    return _parse_timestamps(frame["timestamp"].str.strip()), values.to_numpy(dtype=float)


def _iso(stamp: pd.Timestamp) -> str:
    return stamp.isoformat().replace("+00:00", "Z")


def detect(
    input: Path = typer.Option(..., "--input", help="CSV file with columns timestamp,value"),  # noqa: A002, B008
    json_out: bool = typer.Option(False, "--json", help="write JSON instead of CSV"),  # noqa: B008
) -> None:
    """Score every point of a metric series for anomalies (0 = normal, 1 = anomalous)."""
    try:
        stamps, values = read_series(input)
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(BAD_INPUT) from error
    scores = anomaly_scores(values, stamps.to_numpy(dtype="datetime64[ns]"))
    rows = [
        {"timestamp": _iso(t), "value": float(v), "anomaly_score": round(float(s), 6)}
        for t, v, s in zip(stamps, values, scores, strict=True)
    ]
    if json_out:
        sys.stdout.write(json.dumps({"points": rows}) + "\n")
        return
    pd.DataFrame(rows, columns=["timestamp", "value", "anomaly_score"]).to_csv(
        sys.stdout, index=False, lineterminator="\n"
    )
