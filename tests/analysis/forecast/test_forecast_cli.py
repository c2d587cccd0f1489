"""`cloudops forecast` through Typer's CliRunner, registered as the bot's CLI will."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from analysis.forecast_cli import forecast

app = typer.Typer()
app.command("forecast")(forecast)


@app.command("version")  # a second command, so "forecast" is addressed by name as in the bot
def version() -> None:
    typer.echo("0")


runner = CliRunner()
HOURS = 24 * 14


def values() -> np.ndarray:
    t = np.arange(HOURS)
    return 100 + 40 * np.sin(2 * np.pi * t / 24) + np.random.default_rng(0).normal(0, 2, HOURS)


@pytest.fixture
def iso_csv(tmp_path: Path) -> Path:
    stamps = pd.date_range("2024-03-01", periods=HOURS, freq="h", tz="UTC")
    path = tmp_path / "iso.csv"
    stamps_text = stamps.strftime("%Y-%m-%dT%H:%M:%SZ")
    pd.DataFrame({"timestamp": stamps_text, "value": values()}).to_csv(path, index=False)
    return path


@pytest.fixture
def unix_csv(tmp_path: Path) -> Path:
    path = tmp_path / "unix.csv"
    stamps = 1_709_251_200 + 3600 * np.arange(HOURS)
    pd.DataFrame({"timestamp": stamps, "value": values()}).to_csv(path, index=False)
    return path


def test_csv_output_for_iso_timestamps(iso_csv: Path) -> None:
    result = runner.invoke(app, ["forecast", "--input", str(iso_csv), "--horizon", "6"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "step,timestamp,forecast,lower,upper"
    rows = [line.split(",") for line in lines[1:]]
    assert [int(r[0]) for r in rows] == [1, 2, 3, 4, 5, 6]
    first = pd.Timestamp(rows[0][1])
    assert first == pd.Timestamp("2024-03-01", tz="UTC") + pd.Timedelta(hours=HOURS)
    assert pd.Timestamp(rows[1][1]) - first == pd.Timedelta(hours=1)
    for _, _, mean, low, high in rows:
        assert float(low) <= float(mean) <= float(high)


def test_json_output_for_unix_timestamps(unix_csv: Path) -> None:
    args = ["forecast", "--input", str(unix_csv), "--horizon", "3", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["season"] == 24
    assert [p["step"] for p in doc["points"]] == [1, 2, 3]
    last = 1_709_251_200 + 3600 * (HOURS - 1)
    assert [int(p["timestamp"]) for p in doc["points"]] == [last + 3600 * k for k in (1, 2, 3)]
    truth = 100 + 40 * np.sin(2 * np.pi * np.arange(HOURS, HOURS + 3) / 24)
    assert np.allclose([p["forecast"] for p in doc["points"]], truth, atol=8.0)


def test_season_option_is_used(unix_csv: Path) -> None:
    args = ["forecast", "--input", str(unix_csv), "--horizon", "2", "--json", "--season", "12"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["season"] == 12


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("time,val\n1,2\n2,3\n3,4\n", "timestamp,value"),
        ("timestamp,value\n1,2\n2,x\n3,4\n", "row 3"),
        ("timestamp,value\n1,2\n3,3\n2,4\n", "increasing"),
        ("timestamp,value\nyesterday,2\ntoday,3\ntomorrow,4\n", "ISO 8601"),
        ("timestamp,value\n1,2\n", "at least 3"),
        ("", "cannot read"),
    ],
)
def test_bad_file_gives_one_stderr_line_and_exit_2(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    result = runner.invoke(app, ["forecast", "--input", str(path), "--horizon", "2"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_missing_file_and_bad_horizon_exit_2(iso_csv: Path, tmp_path: Path) -> None:
    missing = runner.invoke(
        app, ["forecast", "--input", str(tmp_path / "no.csv"), "--horizon", "2"]
    )
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    zero = runner.invoke(app, ["forecast", "--input", str(iso_csv), "--horizon", "0"])
    assert zero.exit_code == 2 and "--horizon" in zero.stderr


def test_naive_iso_timestamps_are_written_back_naive(tmp_path: Path) -> None:
    path = tmp_path / "naive.csv"
    stamps = pd.date_range("2024-03-01", periods=HOURS, freq="h").strftime("%Y-%m-%dT%H:%M:%S")
    pd.DataFrame({"timestamp": stamps, "value": values()}).to_csv(path, index=False)
    result = runner.invoke(app, ["forecast", "--input", str(path), "--horizon", "1"])
    assert result.exit_code == 0, result.stderr
    stamp = result.stdout.splitlines()[1].split(",")[1]
    assert pd.Timestamp(stamp).tzinfo is None
    assert pd.Timestamp(stamp) == pd.Timestamp("2024-03-01") + pd.Timedelta(hours=HOURS)
