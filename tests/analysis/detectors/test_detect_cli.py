"""`cloudops detect` through a Typer app that registers the command as the bot CLI does."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from analysis.detect_cli import detect

app = typer.Typer()
app.command("detect")(detect)


@app.command("version")
def version() -> None:  # a second command, so "detect" is a real sub-command
    typer.echo("0")


runner = CliRunner()


def write_series(path: Path, stamps: list[str], values: list[str]) -> Path:
    path.write_text(
        "timestamp,value\n" + "".join(f"{t},{v}\n" for t, v in zip(stamps, values, strict=True))
    )
    return path


def iso_series(tmp_path: Path, n: int = 300) -> Path:
    values = 5.0 + np.sin(np.arange(n) / 10.0)
    values[250] += 20.0
    stamps = [f"2024-03-01T{i // 60:02d}:{i % 60:02d}:00Z" for i in range(n)]
    return write_series(tmp_path / "in.csv", stamps, [f"{v:.4f}" for v in values])


def test_csv_output_has_one_scored_row_per_input_row(tmp_path):
    result = runner.invoke(app, ["detect", "--input", str(iso_series(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "timestamp,value,anomaly_score"
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == 300
    scores = np.array([float(r[2]) for r in rows])
    assert np.all((scores >= 0) & (scores <= 1))
    assert int(np.argmax(scores[50:])) + 50 == 250
    assert rows[0][0] == "2024-03-01T00:00:00Z"


def test_json_output_and_unix_seconds(tmp_path):
    path = write_series(tmp_path / "u.csv", ["1700000000", "1700000060"], ["1.5", "2"])
    result = runner.invoke(app, ["detect", "--input", str(path), "--json"])
    assert result.exit_code == 0, result.output
    points = json.loads(result.stdout)["points"]
    assert [p["timestamp"] for p in points] == ["2023-11-14T22:13:20Z", "2023-11-14T22:14:20Z"]
    assert [p["value"] for p in points] == [1.5, 2.0]
    assert all(0 <= p["anomaly_score"] <= 1 for p in points)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("time,value\n2024-01-01,1\n", "missing column(s) timestamp"),
        ("timestamp,value\n2024-01-01,abc\n", "unparsable value 'abc'"),
        ("timestamp,value\nyesterday,1\n", "unparsable timestamp 'yesterday'"),
        ("timestamp,value\n", "no data rows"),
        ("", "cannot read"),
    ],
)
def test_bad_input_gives_one_error_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    result = runner.invoke(app, ["detect", "--input", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert message in result.stderr


def test_missing_file_is_bad_input(tmp_path):
    result = runner.invoke(app, ["detect", "--input", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
