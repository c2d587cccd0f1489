"""A newcomer's path: ``cloudops sandbox --port N`` from the repo brings the web chat up at
the URL it prints, and Ctrl-C stops everything it started."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bot.serving import free_port

REPO = Path(__file__).resolve().parents[2]
BUDGET_SECONDS = 60


def _cloudops() -> str:
    found = shutil.which("cloudops") or str(Path(sys.executable).with_name("cloudops"))
    assert Path(found).exists(), "the cloudops entry point is not installed (pip install -e .)"
    return found


@contextmanager
def _sandbox(port: int) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """``cloudops sandbox --port port`` as a newcomer starts it, and the lines it prints
    (collected as they come); killed if the test leaves it running."""
    process = subprocess.Popen(
        [_cloudops(), "sandbox", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    stdout = process.stdout
    assert stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(iter(stdout.readline, "")))
    reader.start()
    try:
        yield process, lines
    finally:
        if process.poll() is None:
            process.kill()
        reader.join(5)


def test_cloudops_sandbox_serves_the_chat_at_the_printed_url() -> None:
    port = free_port()
    began = time.perf_counter()
    with _sandbox(port) as (process, lines):
        url = None
        while url is None and time.perf_counter() - began < BUDGET_SECONDS:
            assert process.poll() is None, "cloudops sandbox exited:\n" + "".join(lines)
            found = re.search(r"http://127\.0\.0\.1:\d+/sandbox", "".join(lines))
            url = found.group(0) if found else None
            time.sleep(0.05)
        elapsed = time.perf_counter() - began
        assert url == f"http://127.0.0.1:{port}/sandbox", "".join(lines)
        print(f"cloudops sandbox printed {url} after {elapsed:.1f}s")
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200 and "/sandbox/static/app.js" in page.text
        info = httpx.get(f"http://127.0.0.1:{port}/sandbox/api/info", timeout=10).json()
        assert info["cluster"] is True and info["metrics"] in ("prometheus", "fallback")
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).status_code == 200
        metrics = re.search(r"metrics: \w+ at (http://127\.0\.0\.1:\d+)", "".join(lines))
        assert metrics, "".join(lines)
        assert httpx.get(f"{metrics.group(1)}/-/ready", timeout=10).status_code == 200
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=20)
    assert code == 0, "".join(lines)
    try:  # everything the sandbox started is gone with it
        httpx.get(f"{metrics.group(1)}/-/ready", timeout=2)
        raise AssertionError("the demo metrics server outlived the sandbox")
    except httpx.TransportError:
        pass


def test_kill_stops_the_demo_prometheus_and_removes_the_temp_folder() -> None:
    """``kill`` (SIGTERM) ends ``cloudops sandbox`` as Ctrl-C does: exit 0, its Prometheus
    child gone, its temp folder removed."""
    port = free_port()
    with _sandbox(port) as (process, lines):
        began = time.monotonic()
        while "/sandbox" not in "".join(lines) and time.monotonic() - began < BUDGET_SECONDS:
            assert process.poll() is None, "cloudops sandbox exited:\n" + "".join(lines)
            time.sleep(0.05)
        metrics = re.search(r"  metrics: prometheus at (http://127\.0\.0\.1:\d+)", "".join(lines))
        staging = re.search(r"staging metrics: prometheus at (http://[\d.:]+)", "".join(lines))
        assert metrics and staging, "".join(lines)
        flags = httpx.get(f"{metrics.group(1)}/api/v1/status/flags", timeout=10).json()
        # <temp folder>/prod/prometheus/data: prod's; staging's is its sibling
        data = Path(flags["data"]["storage.tsdb.path"])
        workdir = data.parents[2]
        assert workdir.name.startswith("cloudops-sandbox-") and workdir.is_dir()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    assert code == 0, "".join(lines)
    assert not workdir.exists(), f"{workdir} outlived the sandbox"
    for url in (metrics.group(1), staging.group(1)):
        try:
            httpx.get(f"{url}/-/ready", timeout=2)
            raise AssertionError(f"the demo Prometheus at {url} outlived the sandbox")
        except httpx.TransportError:
            pass
