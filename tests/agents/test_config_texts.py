"""LLM settings from the environment and YAML; chat texts for failures and cost."""

from __future__ import annotations

import json
from typing import get_args

import pytest

from agents import AgentFailed, FailureReason, Usage, load_llm_config
from bot.texts.agents import cost_line, failure_text


def test_no_model_means_no_llm() -> None:
    assert load_llm_config({}, {}) is None
    assert load_llm_config({"LLM_API_KEY": "k"}, {"llm": {"timeout": 5}}) is None


def test_environment_wins_over_yaml_and_flags_are_parsed() -> None:
    yaml = {
        "llm": {
            "model": "from-yaml",
            "base_url": "http://yaml/v1",
            "timeout": 9,
            "function_calling": False,
            "family": "qwen",
        }
    }
    env = {
        "LLM_MODEL": "qwen-max",
        "LLM_API_KEY": "sk-x",
        "LLM_TIMEOUT": "12",
        "LLM_JSON_OUTPUT": "no",
    }
    config = load_llm_config(env, yaml)
    assert config is not None
    primary = config.primary
    assert (primary.model, primary.base_url, config.timeout) == ("qwen-max", "http://yaml/v1", 12)
    assert primary.flags.function_calling is False and primary.flags.json_output is False
    assert primary.flags.family == "qwen"
    assert "sk-x" not in repr(primary) and "sk-x" not in primary.label


def test_fallbacks_from_json_env_and_from_yaml_with_key_variables() -> None:
    env = {
        "LLM_MODEL": "a",
        "LLM_FALLBACKS": json.dumps([{"base_url": "http://b/v1", "model": "b", "api_key": "kb"}]),
    }
    config = load_llm_config(env)
    assert config is not None
    assert [e.model for e in config.endpoints] == ["a", "b"]
    assert config.endpoints[1].api_key.get_secret_value() == "kb"
    yaml = {
        "llm": {
            "fallbacks": [
                {
                    "base_url": "http://ollama:11434/v1",
                    "model": "qwen2.5:7b",
                    "api_key_env": "OLLAMA_KEY",
                    "function_calling": "false",
                }
            ]
        }
    }
    only_fallback = load_llm_config({"OLLAMA_KEY": "ok"}, yaml)
    assert only_fallback is not None
    endpoint = only_fallback.primary
    assert endpoint.api_key.get_secret_value() == "ok" and not endpoint.flags.function_calling
    assert [e.model for e in only_fallback.with_model("x").endpoints] == ["x"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LLM_MODEL": "m", "LLM_TIMEOUT": "soon"}, "LLM_TIMEOUT must be a number"),
        ({"LLM_MODEL": "m", "LLM_MAX_RETRIES": "99"}, "LLM_MAX_RETRIES must be within"),
        ({"LLM_MODEL": "m", "LLM_VISION": "maybe"}, "LLM_VISION must be true or false"),
        ({"LLM_FALLBACKS": "[{"}, "LLM_FALLBACKS is not valid JSON"),
        ({"LLM_FALLBACKS": '[{"model": ""}]'}, r"LLM_FALLBACKS\[0\].model"),
        ({"LLM_FALLBACKS": '[{"model": "m", "key": "x"}]'}, "unknown field"),
    ],
)
def test_wrong_settings_are_named(env, message) -> None:
    with pytest.raises(ValueError, match=message):
        load_llm_config(env)


@pytest.mark.parametrize("lang", ["zh-CN", "en-US"])
def test_every_failure_reason_has_a_chat_text(lang) -> None:
    texts = {failure_text(AgentFailed(reason), lang) for reason in get_args(FailureReason)}
    assert len(texts) == len(get_args(FailureReason))


def test_cost_line_shows_the_tokens() -> None:
    line = cost_line(Usage(1200, 340, 3), "en-US")
    assert "1200" in line and "340" in line and "3 calls" in line
