"""The shipped config, CMD and HEALTHCHECK against the real `cloudops serve` on loopback."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from analysis.prometheus.targets import parse_services
from config.settings import SECTIONS, load_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIGS = [
    REPO_ROOT / "deploy" / "kubernetes" / "base" / "config.yaml",
    REPO_ROOT / "deploy" / "compose" / "config.yaml",
]
DASHBOARD = REPO_ROOT / "deploy" / "grafana" / "cloudops-dashboard.json"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _dockerfile_json(keyword: str) -> list[str]:
    text = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    [line] = [ln for ln in text.splitlines() if ln.startswith(keyword + " ")]
    if keyword == "HEALTHCHECK":
        line = line[line.index(" CMD ") :]
    value: list[str] = json.loads(line[line.index(" [") :])
    return value


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.parent.name)
def test_shipped_config_loads_with_the_real_settings(path: Path) -> None:
    settings = load_settings({"CLOUDOPS_CONFIG": str(path)})
    assert settings.data_path == Path("/var/lib/cloudops")
    assert settings.approvals.approvers and settings.prometheus.services
    keys = set(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert keys <= SECTIONS, f"keys the settings model ignores: {sorted(keys - SECTIONS)}"
    assert parse_services(settings.prometheus.services)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`cloudops <CMD>` from the Dockerfile, on a free loopback port, with dummy secrets."""
    port, dead = _free_port(), _free_port()
    command = _dockerfile_json("CMD")
    command = [a.replace("0.0.0.0", "127.0.0.1").replace("8080", str(port)) for a in command]
    entrypoint = Path(sys.executable).with_name(_dockerfile_json("ENTRYPOINT")[0])
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path_factory.mktemp("home")),
        "CLOUDOPS_CONFIG": str(CONFIGS[0]),
        "CLOUDOPS_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "FEISHU_APP_ID": "cli_deploy_test",
        "FEISHU_APP_SECRET": "not-a-secret",
        "FEISHU_VERIFICATION_TOKEN": "not-a-token",
        "FEISHU_ENCRYPT_KEY": "not-a-key",  # webhook mode refuses to start without it
        # Nothing listens there: the bot must not reach out while it starts.
        "FEISHU_DOMAIN": f"http://127.0.0.1:{dead}",
        "PROMETHEUS_URL": f"http://127.0.0.1:{dead}",
    }
    process = subprocess.Popen(
        [str(entrypoint), *command], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"cloudops serve exited {process.returncode}: {output[-2000:]}")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_healthcheck_passes_against_the_real_server(served: int) -> None:
    command = _dockerfile_json("HEALTHCHECK")
    script = command[-1].replace("127.0.0.1:8080/", f"127.0.0.1:{served}/")
    done = subprocess.run([sys.executable, *command[1:-1], script], timeout=30)
    assert done.returncode == 0


def test_dashboard_metrics_are_exposed_by_the_bot(served: int) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{served}/metrics", timeout=5) as response:
        exposed = {f.name for f in text_string_to_metric_families(response.read().decode())}
    dashboard = DASHBOARD.read_text(encoding="utf-8")
    wanted = {
        re.sub(r"_(total|bucket|sum|count)$", "", m) for m in re.findall(r"cloudops_\w+", dashboard)
    }
    assert wanted and wanted <= exposed, sorted(wanted - exposed)
