"""docker-compose.yml and deploy/env.example, read statically (no Docker engine here)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {"bot", "prometheus", "redis", "postgres", "weaviate"}
APP_VARIABLES = {
    "FEISHU_APP_ID", "FEISHU_APP_SECRET", "FEISHU_VERIFICATION_TOKEN", "FEISHU_ENCRYPT_KEY",
    "FEISHU_DOMAIN", "FEISHU_TRANSPORT", "CLOUDOPS_CONFIG", "DATABASE_URL", "CLOUDOPS_DATA_DIR",
    "REDIS_URL", "PROMETHEUS_URL", "ALERTMANAGER_URL", "ALERTMANAGER_WEBHOOK_TOKEN",
    "CLOUDOPS_API_TOKEN", "LLM_BASE_URL", "LLM_API_KEY", "LLM_MODEL", "TAVILY_API_KEY",
    "WEAVIATE_URL", "EMBEDDINGS_BASE_URL", "EMBEDDINGS_API_KEY", "EMBEDDINGS_MODEL",
    "CLOUDOPS_LANGUAGE",
}  # fmt: skip
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|API_KEY|ENCRYPT_KEY", re.IGNORECASE)
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
ASSIGNMENT = re.compile(r"^\s*(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


@pytest.fixture(scope="module")
def compose_text() -> str:
    return (REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def services(compose_text: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(compose_text)["services"]
    return data


@pytest.fixture(scope="module")
def env_example() -> dict[str, tuple[bool, str]]:
    """name -> (active, value); commented-out assignments are documented but inactive."""
    found = {}
    for line in (REPO_ROOT / "deploy" / "env.example").read_text(encoding="utf-8").splitlines():
        match = ASSIGNMENT.match(line)
        if match:
            found[match.group(2)] = (match.group(1) is None, match.group(3))
    return found


def _resolved(value: str) -> str:
    return re.sub(r"\$\{[^}]*\}", "x", value)


def test_required_services(services: dict[str, Any]) -> None:
    assert set(services) >= REQUIRED


def test_bot_is_built_here_and_hardened(services: dict[str, Any]) -> None:
    bot = services["bot"]
    assert (REPO_ROOT / bot["build"]["context"] / bot["build"]["dockerfile"]).is_file()
    assert bot["env_file"] == ".env"
    assert bot["read_only"] is True and bot["cap_drop"] == ["ALL"]
    assert bot["user"].split(":")[0] == "10001"
    assert "/tmp" in bot["tmpfs"]
    assert any(v.split(":")[1] == "/var/lib/cloudops" for v in bot["volumes"])


@pytest.mark.parametrize(
    ("variable", "service"),
    [
        ("PROMETHEUS_URL", "prometheus"),
        ("REDIS_URL", "redis"),
        ("DATABASE_URL", "postgres"),
        ("WEAVIATE_URL", "weaviate"),
    ],
)
def test_bot_talks_to_the_compose_services(
    services: dict[str, Any], variable: str, service: str
) -> None:
    url = urlparse(_resolved(services["bot"]["environment"][variable]))
    assert url.hostname == service and service in services


def test_dependencies_are_healthy_before_the_bot(services: dict[str, Any]) -> None:
    for name, condition in services["bot"]["depends_on"].items():
        if condition["condition"] == "service_healthy":
            assert services[name]["healthcheck"]["test"], name
    assert {"redis", "postgres"} <= set(services["bot"]["depends_on"])


def test_every_interpolated_variable_is_in_env_example(
    compose_text: str, env_example: dict[str, tuple[bool, str]]
) -> None:
    used = set(INTERPOLATION.findall(compose_text)) - {"HOME"}
    assert used
    missing = {name for name in used if not env_example.get(name, (False, ""))[0]}
    assert missing == set()


def test_env_example_documents_the_app_and_holds_no_secret(
    services: dict[str, Any], env_example: dict[str, tuple[bool, str]]
) -> None:
    documented = set(env_example) | set(services["bot"]["environment"])
    assert APP_VARIABLES - documented == set()
    for name, (active, value) in env_example.items():
        if SECRET_NAME.search(name) and active:
            assert value == "REPLACE_ME", name


def test_local_files_exist_and_ports_stay_local(services: dict[str, Any]) -> None:
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (REPO_ROOT / source).exists(), f"{name}: {source}"
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name}: {port}"
        image = service.get("image", "")
        if "build" not in service:
            assert re.search(r":[\w.-]+$", image) and not image.endswith(":latest"), image


def test_dot_env_is_not_tracked() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "--", ".env", "**/.env"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert tracked.stdout.strip() == ""
