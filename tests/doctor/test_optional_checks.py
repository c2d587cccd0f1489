"""Alertmanager and the model endpoint, checked only when configured."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from bot.doctor.alertmanager import alertmanager_checks
from bot.doctor.inputs import DoctorInput
from bot.doctor.llm import llm_checks
from bot.doctor.prometheus import prometheus_checks
from bot.doctor.result import Check
from bot.serving import ThreadedServer
from config.settings import load_settings


@pytest.fixture
def alertmanager() -> Iterator[str]:
    app = FastAPI()

    @app.get("/api/v2/status")
    async def status() -> dict[str, str]:
        return {"cluster": "ready"}

    server = ThreadedServer(app).start()
    yield server.url
    server.stop()


def _run(area: object, env: dict[str, str]) -> dict[str, Check]:
    inputs = DoctorInput(load_settings(env), timeout=5, environ=env)
    return {c.name: c for c in asyncio.run(area(inputs))}  # type: ignore[operator]


def test_alertmanager_without_webhook_token_warns_with_the_receiver(alertmanager: str) -> None:
    checks = _run(alertmanager_checks, {"ALERTMANAGER_URL": alertmanager})
    assert checks["alertmanager.api"].status == "ok"
    webhook = checks["alertmanager.webhook"]
    assert webhook.status == "warn" and "/alertmanager" in webhook.fix
    assert "credentials_file" in webhook.fix
    wired = _run(
        alertmanager_checks,
        {"ALERTMANAGER_URL": alertmanager, "ALERTMANAGER_WEBHOOK_TOKEN": "t"},
    )
    assert {c.status for c in wired.values()} == {"ok"}
    dead = _run(alertmanager_checks, {"ALERTMANAGER_URL": "http://127.0.0.1:1"})
    assert dead["alertmanager.api"].status == "fail"
    assert _run(alertmanager_checks, {})["alertmanager"].status == "ok"  # optional


def test_an_unreachable_model_fails_like_llm_check() -> None:
    env = {"LLM_MODEL": "gpt-4o-mini", "LLM_BASE_URL": "http://127.0.0.1:1/v1", "LLM_API_KEY": "k"}
    checks = _run(llm_checks, {**env, "LLM_MAX_RETRIES": "0", "LLM_TIMEOUT": "2"})
    assert checks["llm"].status == "fail"
    assert "unreachable" in checks["llm"].detail and "cloudops llm check" in checks["llm"].fix
    assert _run(llm_checks, {})["llm"].status == "ok"  # no model: deterministic skills


def test_credentials_in_urls_are_never_printed() -> None:
    settings = load_settings({"PROMETHEUS_URL": "http://reader:pw-123@127.0.0.1:1"})
    found = asyncio.run(prometheus_checks(DoctorInput(settings, timeout=5)))
    assert [c.status for c in found] == ["fail"]
    assert "***@127.0.0.1:1" in found[0].detail and "pw-123" not in found[0].detail
    dead = _run(alertmanager_checks, {"ALERTMANAGER_URL": "http://am:pw-456@127.0.0.1:1"})
    assert "pw-456" not in " ".join(c.detail for c in dead.values())


def test_with_several_clusters_prometheus_is_the_default_clusters(tmp_path: Path) -> None:
    """``clusters:`` set: the doctor checks the default cluster's Prometheus (here a dead
    port named by its entry), not ``PROMETHEUS_URL``; ``cloudops clusters check`` checks
    every cluster."""
    config = tmp_path / "c.yaml"
    config.write_text(
        "clusters:\n"
        "  - {name: east, kubeconfig_context: east, prometheus: {url: 'http://127.0.0.1:2'}}\n"
        "  - {name: west, kubeconfig_context: west, prometheus: {url: 'http://127.0.0.1:3'}}\n"
        "default_cluster: west\n",
        encoding="utf-8",
    )
    env = {"CLOUDOPS_CONFIG": str(config), "PROMETHEUS_URL": "http://127.0.0.1:1"}
    found = asyncio.run(prometheus_checks(DoctorInput(load_settings(env), timeout=5)))
    assert [c.status for c in found] == ["fail"]
    assert "127.0.0.1:3" in found[0].detail and "127.0.0.1:1" not in found[0].detail
