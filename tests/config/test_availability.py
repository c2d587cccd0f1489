"""config.availability: the one place that says what is configured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config.availability import availability, llm_configured, web_search_configured
from config.settings import SECTIONS, Settings, load_settings


@pytest.mark.parametrize(
    ("env", "yaml", "on"),
    [
        ({}, "", False),
        ({"LLM_API_KEY": "k"}, "llm: {timeout: 5}", False),  # a key without a model
        ({"LLM_MODEL": "qwen-plus"}, "", True),
        ({}, "llm: {model: deepseek-chat}", True),
        ({}, "llm: {fallbacks: [{model: m, base_url: 'http://h/v1'}]}", True),
        ({"LLM_FALLBACKS": "[]"}, "llm: {fallbacks: [{model: m}]}", False),  # env replaces
        ({"LLM_FALLBACKS": "[{"}, "", True),  # configured, wrongly: agents.config names it
    ],
)
def test_the_llm_is_on_with_a_model_or_a_fallback(
    tmp_path: Path, env: dict[str, str], yaml: str, on: bool
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(yaml, encoding="utf-8")
    settings = load_settings({**env, "CLOUDOPS_CONFIG": str(path)})
    assert llm_configured(settings) is on
    assert availability(settings).llm is on


def test_optional_dependencies_follow_their_variables() -> None:
    assert availability(load_settings({})) == availability(Settings.model_validate({}))
    off = availability(load_settings({}))
    assert not any(vars(off).values())
    env = {
        "LLM_MODEL": "m",
        "TAVILY_API_KEY": "tvly-1",
        "ALERTMANAGER_URL": "http://am:9093",
        "ALERTMANAGER_WEBHOOK_TOKEN": "t",
        "LOKI_URL": "http://loki:3100",
        "REDIS_URL": "redis://r:6379/0",
        "EMBEDDINGS_BASE_URL": "http://e/v1",
        "EMBEDDINGS_MODEL": "bge-m3",
        "WEAVIATE_URL": "http://w:8080",
    }
    on = availability(load_settings(env))
    assert all(vars(on).values()) and on.web_research
    assert web_search_configured(load_settings(env))
    half = availability(
        load_settings({"EMBEDDINGS_BASE_URL": "http://e/v1", "TAVILY_API_KEY": "k"})
    )
    assert not half.embeddings and half.web_search and not half.web_research


def test_secrets_of_the_optional_parts_are_masked_without_the_process_environment() -> None:
    env = {
        "LLM_API_KEY": "sk-llm-secret",
        "TAVILY_API_KEY": "tvly-secret",
        "ALERTMANAGER_WEBHOOK_TOKEN": "am-token-secret",
        "EMBEDDINGS_API_KEY": "emb-secret",
        "WEAVIATE_API_KEY": "wv-secret",
    }
    values = load_settings(env).secret_values({})
    assert set(env.values()) <= set(values)


def test_every_environment_variable_is_documented() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", readme))
    flat = {name.upper() for name in Settings.model_fields if name not in SECTIONS}
    assert not flat - documented, f"README lacks {sorted(flat - documented)}"
