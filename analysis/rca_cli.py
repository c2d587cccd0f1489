"""``cloudops rca --metrics FILE.csv``: offline root-cause ranking of a metrics file.

FILE.csv is long format ``timestamp,entity,metric,value``; timestamps are ISO 8601
(naive ones are taken as UTC) or Unix seconds. An entity ``caller->callee`` is a call
edge (e.g. a service mesh's per-call latency): its anomaly counts for both ends. Bad
input prints one line on stderr and exits with code 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import typer

from analysis.evidence import RcaResult, to_json
from analysis.frames import COLUMNS
from analysis.ranking import rank_root_causes
from analysis.timestamps import UnparsableTimestamp, parse_timestamps

__all__ = ["load_metrics_csv", "rca"]


def _timestamps(raw: pd.Series, path: Path) -> pd.Series:
    try:
        return parse_timestamps(raw)
    except UnparsableTimestamp as exc:
        raise ValueError(
            f"{path}:{exc.position + 2}: bad timestamp {exc.value!r} "
            "(need ISO 8601 or Unix seconds)"
        ) from exc


def load_metrics_csv(path: Path) -> pd.DataFrame:
    """Read a long-format metrics CSV into a tidy frame, or raise a precise ValueError."""
    try:
        raw = pd.read_csv(path, dtype={"entity": str, "metric": str})
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ValueError(f"cannot read {path}: {err}") from None
    missing = [column for column in COLUMNS if column not in raw.columns]
    if missing:
        raise ValueError(f"{path} lacks column(s) {', '.join(missing)}; need {','.join(COLUMNS)}")
    if raw.empty:
        raise ValueError(f"{path} has no rows")
    timestamps = _timestamps(raw["timestamp"], path)
    values = pd.to_numeric(raw["value"], errors="coerce")
    if values.isna().any():
        line = int(values.isna().to_numpy().argmax()) + 2
        raise ValueError(f"{path}:{line}: value {raw['value'].iloc[line - 2]!r} is not a number")
    return pd.DataFrame(
        {"timestamp": timestamps, "entity": raw["entity"], "metric": raw["metric"], "value": values}
    )


def _parse_start(text: str | None) -> pd.Timestamp | None:
    if text is None:
        return None
    try:
        when = pd.Timestamp(text)
    except ValueError:
        raise ValueError(f"--incident-start {text!r} is not an ISO 8601 time") from None
    return when.tz_localize("UTC") if when.tzinfo is None else when.tz_convert("UTC")


def _table(result: RcaResult) -> str:
    start = "-" if result.incident_start is None else result.incident_start.isoformat()
    lines = [f"incident start: {start}    verdict: {result.verdict}"]
    if not result.candidates:
        return "\n".join([*lines, "no anomalous entity"])
    lines.append(f"{'#':>2}  {'entity':<28} {'score':>5}  {'onset':<25} metric (baseline -> peak)")
    for rank, item in enumerate(result.candidates, start=1):
        lines.append(
            f"{rank:>2}  {item.entity:<28} {item.score:5.2f}  {item.onset.isoformat():<25} "
            f"{item.metric} ({item.baseline:.4g} -> {item.peak:.4g})"
        )
    return "\n".join(lines)


_METRICS = typer.Option(..., "--metrics", help="long CSV: timestamp,entity,metric,value")
_START = typer.Option(None, "--incident-start", help="ISO 8601; detected when omitted")
_TOP = typer.Option(5, "--top", help="how many entities to list")
_JSON = typer.Option(False, "--json", help="print JSON instead of a table")


def rca(
    metrics: Path = _METRICS,
    incident_start: str | None = _START,
    top: int = _TOP,
    json_out: bool = _JSON,
) -> None:
    """Rank the entities most likely to have caused the incident in a metrics file."""
    try:
        if top < 1:
            raise ValueError(f"--top must be at least 1, got {top}")
        result = rank_root_causes(load_metrics_csv(metrics), _parse_start(incident_start), top)
    except ValueError as err:
        typer.echo("error: " + " ".join(str(err).split()), err=True)
        raise typer.Exit(code=2) from None
    typer.echo(json.dumps(to_json(result)) if json_out else _table(result))
