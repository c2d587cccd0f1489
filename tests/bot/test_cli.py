"""The cloudops command line: serve refuses clearly without credentials (in this process:
the refusal comes before serving); ``version`` through the real ``python -m bot``."""

from __future__ import annotations

import subprocess
import sys

from tests.in_process_cli import cloudops


def _cloudops(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_serve_without_credentials_points_to_the_sandbox() -> None:
    result = cloudops("serve", env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "FEISHU_APP_ID" in result.stderr and "cloudops sandbox" in result.stderr


def test_serve_with_a_missing_secret_names_it_in_one_line() -> None:
    result = cloudops("serve", env={"PATH": "/usr/bin:/bin", "FEISHU_APP_ID": "cli_x"})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "FEISHU_APP_SECRET" in result.stderr


def test_version() -> None:
    result = _cloudops("version")
    assert result.returncode == 0 and result.stdout.strip()
