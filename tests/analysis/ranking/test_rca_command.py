"""`cloudops rca` through Typer's CliRunner on real CSV files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from analysis.rca_cli import rca

CHAIN = {"db": ("cpu", 0, 12.0), "api": ("latency", 2, 12.0), "web": ("latency", 3, 12.0)}


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    application.command("rca")(rca)
    application.command("noop")(lambda: None)  # two commands keep "rca" as a subcommand
    return application


@pytest.fixture
def csv_file(tmp_path: Path, incident) -> Path:
    path = tmp_path / "metrics.csv"
    frame = incident(CHAIN, onset=40, seed=2)
    frame.assign(timestamp=frame["timestamp"].map(lambda t: t.isoformat())).to_csv(
        path, index=False
    )
    return path


def test_json_output_ranks_the_culprit_first(app, csv_file: Path) -> None:
    result = CliRunner().invoke(app, ["rca", "--metrics", str(csv_file), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["candidates"][0]["entity"] == "db"
    assert {"entity", "metric", "score", "onset"} <= set(payload["candidates"][0])
    scores = [c["score"] for c in payload["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_unix_seconds_and_given_start_and_top(app, tmp_path: Path, incident, start) -> None:
    frame = incident(CHAIN, onset=40, seed=3)
    path = tmp_path / "unix.csv"
    frame.assign(timestamp=frame["timestamp"].map(lambda t: int(t.timestamp()))).to_csv(
        path, index=False
    )
    when = (start + pd.Timedelta(minutes=40)).isoformat()
    args = ["rca", "--metrics", str(path), "--incident-start", when, "--top", "1", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [c["entity"] for c in payload["candidates"]] == ["db"]
    assert pd.Timestamp(payload["incident_start"]) == pd.Timestamp(when)


def test_table_output_names_the_culprit_on_the_first_row(app, csv_file: Path) -> None:
    result = CliRunner().invoke(app, ["rca", "--metrics", str(csv_file)])
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert "verdict" in rows[0]
    assert rows[2].split()[:2] == ["1", "db"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("time,entity,metric,value\n2024-01-01T00:00:00Z,a,cpu,1\n", "lacks column"),
        ("timestamp,entity,metric,value\n2024-01-01T00:00:00Z,a,cpu,high\n", "not a number"),
        ("timestamp,entity,metric,value\nyesterday,a,cpu,1\n", "bad timestamp"),
        ("timestamp,entity,metric,value\n", "no rows"),
        ("", "cannot read"),
    ],
)
def test_bad_files_exit_2_with_one_stderr_line(app, tmp_path: Path, content, message) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    result = CliRunner().invoke(app, ["rca", "--metrics", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_missing_file_and_bad_start_exit_2(app, tmp_path: Path, csv_file: Path) -> None:
    missing = CliRunner().invoke(app, ["rca", "--metrics", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
    assert "cannot read" in missing.stderr
    bad = CliRunner().invoke(app, ["rca", "--metrics", str(csv_file), "--incident-start", "soon"])
    assert bad.exit_code == 2
    assert "--incident-start" in bad.stderr


def test_too_short_a_window_exits_2(app, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("timestamp,entity,metric,value\n1700000000,a,cpu,1\n1700000060,a,cpu,2\n")
    result = CliRunner().invoke(app, ["rca", "--metrics", str(path)])
    assert result.exit_code == 2
    assert "timestamps" in result.stderr


def test_call_edge_rows_rank_a_callee_with_no_metrics_of_its_own(
    app, tmp_path: Path, start
) -> None:
    # Only the calls to "ledger" slow down; ledger itself has no series in the file, and
    # each caller has a healthy call besides (a caller with a single call is as likely).
    times = pd.date_range(start, periods=60, freq="1min")
    rows = []
    for caller, callee, level in (
        ("payments", "ledger", 12.0),
        ("payments", "fraud", 20.0),
        ("payments", "accounts", 8.0),
        ("checkout", "ledger", 12.0),
        ("checkout", "fraud", 20.0),
    ):
        values = [
            level + (i % 3) * 0.3 + (30.0 if callee == "ledger" and i >= 40 else 0.0)
            for i in range(60)
        ]
        rows += [
            {
                "timestamp": t.isoformat(),
                "entity": f"{caller}->{callee}",
                "metric": "call_ms",
                "value": v,
            }
            for t, v in zip(times, values, strict=True)
        ]
    path = tmp_path / "edges.csv"
    pd.DataFrame(rows).to_csv(path, index=False)

    result = CliRunner().invoke(app, ["rca", "--metrics", str(path), "--json"])
    assert result.exit_code == 0, result.output
    top = json.loads(result.stdout)["candidates"][0]
    assert top["entity"] == "ledger"
    assert top["metric"] in {"call_ms (payments->ledger)", "call_ms (checkout->ledger)"}
