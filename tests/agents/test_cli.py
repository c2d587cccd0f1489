"""`cloudops llm check` and `cloudops eval`, through Typer, against loopback endpoints."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from agents.cli import eval_command, llm_check
from agents.evals import load_scenarios
from tests.agents.chat_server import ChatServer, completion

app = typer.Typer()
app.command("check")(llm_check)
app.command("eval")(eval_command)
runner = CliRunner()

LLM_VARS = ("LLM_MODEL", "LLM_BASE_URL", "LLM_API_KEY", "LLM_FALLBACKS", "CLOUDOPS_CONFIG")


def clean(monkeypatch) -> None:
    for name in LLM_VARS:
        monkeypatch.delenv(name, raising=False)


def test_check_without_llm_exits_2(monkeypatch) -> None:
    clean(monkeypatch)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "no LLM configured" in result.output


def test_check_reports_latency_and_tool_calling(monkeypatch) -> None:
    clean(monkeypatch)
    with (
        ChatServer(completion(tool=("get_time", "{}"))) as tools_ok,
        ChatServer(completion("I cannot call tools")) as no_tools,
    ):
        monkeypatch.setenv("LLM_MODEL", "qwen-plus")
        monkeypatch.setenv("LLM_BASE_URL", tools_ok.base_url)
        monkeypatch.setenv("LLM_API_KEY", "sk-never-printed")
        monkeypatch.setenv(
            "LLM_FALLBACKS", f'[{{"base_url": "{no_tools.base_url}", "model": "tiny"}}]'
        )
        result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("ok   qwen-plus@") and "tool calling works" in lines[0]
    assert lines[1].startswith("ok   tiny@") and "tool calling NO" in lines[1]
    assert "sk-never-printed" not in result.output
    assert tools_ok.requests[0]["tools"][0]["function"]["name"] == "get_time"


def test_check_with_unreachable_endpoint_exits_2(monkeypatch) -> None:
    clean(monkeypatch)
    monkeypatch.setenv("LLM_MODEL", "m")
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "FAIL m@http://127.0.0.1:9/v1: unreachable" in result.output


def test_eval_scripted_reports_the_pass_rate(monkeypatch) -> None:
    clean(monkeypatch)
    result = runner.invoke(app, ["eval", "--scripted"])
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith("scripted: ") and "passed (100%)" in summary


def test_eval_with_a_model_that_answers_nonsense_fails_cases(monkeypatch) -> None:
    clean(monkeypatch)
    with ChatServer(completion("no idea")) as server:
        monkeypatch.setenv("LLM_MODEL", "default-model")
        monkeypatch.setenv("LLM_BASE_URL", server.base_url)
        result = runner.invoke(app, ["eval", "--model", "small-model"])
    assert result.exit_code == 0, result.output
    # A model that never calls a tool nor writes JSON passes only the "propose nothing" cases.
    cases = load_scenarios()
    expected = sum(c.expect.no_plan for c in cases)
    assert f"small-model: {expected}/{len(cases)} passed" in result.output
    assert {r["model"] for r in server.requests} == {"small-model"}


def test_eval_without_llm_and_without_scripted_exits_2(monkeypatch) -> None:
    clean(monkeypatch)
    assert runner.invoke(app, ["eval"]).exit_code == 2
