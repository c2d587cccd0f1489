"""``cloudops kb`` through typer's CliRunner, registered in a tiny app as the bot does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from knowledge.cli import kb_app

app = typer.Typer()
app.add_typer(kb_app, name="kb")


@app.command()
def version() -> None:
    typer.echo("test")


runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "EMBEDDINGS_BASE_URL",
        "EMBEDDINGS_MODEL",
        "WEAVIATE_URL",
        "CLOUDOPS_KNOWLEDGE_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDOPS_DATA_DIR", str(tmp_path / "data"))


def test_query_json_on_the_starter_runbooks(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["kb", "query", "CrashLoopBackOff restarts", "--top", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert list(payload) == ["results"]
    # --top 3 caps the list and this query matches a runbook, so 0 or 4+ rows is a bug
    assert 1 <= len(payload["results"]) <= 3
    assert all(list(row) == ["title", "source", "text", "score"] for row in payload["results"])
    assert payload["results"][0]["source"] == "crashloopbackoff.md"
    assert (tmp_path / "data" / "knowledge" / "manifest.json").exists()


def test_ingest_then_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDOPS_KNOWLEDGE_DIR", str(tmp_path / "kb"))
    source = tmp_path / "kafka-lag.md"
    source.write_text("# Kafka 消费积压\n## 修复\n增加消费者实例数量。\n", encoding="utf-8")
    result = runner.invoke(app, ["kb", "ingest", str(source)])
    assert result.exit_code == 0, result.output
    assert "ingested kafka-lag.md" in result.output
    found = runner.invoke(app, ["kb", "query", "消费积压", "--json"])
    assert json.loads(found.output)["results"][0]["source"] == "kafka-lag.md"
    plain = runner.invoke(app, ["kb", "query", "消费积压"])
    assert "[1] Kafka 消费积压 › 修复 (kafka-lag.md)" in plain.output


def test_ingest_of_a_missing_path_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["kb", "ingest", str(tmp_path / "nope.md")])
    assert result.exit_code == 2
    assert "neither a file nor a folder" in result.output
