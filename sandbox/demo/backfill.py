"""A real Prometheus server holding backfilled OpenMetrics samples (tests, sandbox demo).

    with BackfilledPrometheus(scenario.text, workdir) as prometheus:
        PrometheusSource(prometheus.url).fetch(...)

``promtool tsdb create-blocks-from openmetrics`` writes the blocks, then ``prometheus``
serves them on a free loopback port with no scrape targets. The samples must be older
than the head (a few hours back is safe) and younger than the 30-day retention.
"""

from __future__ import annotations

import atexit
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import requests

__all__ = [
    "BackfillError",
    "BackfilledPrometheus",
    "MissingBinary",
    "find_binary",
    "split_openmetrics",
]

CHUNK_SECONDS = 12 * 3600  # a multiple of promtool's 2-hour blocks
CONFIG = "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nscrape_configs: []\n"


class BackfillError(RuntimeError):
    """promtool rejected the samples, or Prometheus did not become ready."""


class MissingBinary(BackfillError):
    """``prometheus`` or ``promtool`` is not installed."""


def find_binary(name: str) -> str:
    """Path of ``name`` on PATH or in /usr/bin, else MissingBinary with the install hint."""
    found = shutil.which(name) or (
        f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
    )
    if found is None:
        raise MissingBinary(
            f"{name} not found on PATH or in /usr/bin: install Debian's `prometheus` package "
            "(apt-get install -y prometheus), which provides prometheus and promtool"
        )
    return found


def _promtool(promtool: str, source: Path, data: Path) -> str:
    """Backfill one file; the error text, or "" when it worked."""
    done = subprocess.run(
        [promtool, "tsdb", "create-blocks-from", "openmetrics", "-q", str(source), str(data)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        return f"promtool failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
    return ""


def split_openmetrics(text: str, seconds: int) -> list[str]:
    """OpenMetrics text with explicit timestamps cut into pieces of ``seconds`` (aligned to
    multiples of it, as promtool aligns its 2-hour blocks), each with the TYPE/HELP lines of
    its families and its own ``# EOF``; in time order."""
    pieces: dict[int, list[str]] = {}
    headers: list[str] = []
    headed: dict[int, int] = {}  # piece -> index of the last header list it holds
    generation = 0
    for line in text.splitlines():
        if not line or line == "# EOF":
            continue
        if line.startswith("#"):
            if line.startswith("# TYPE"):
                headers, generation = [], generation + 1
            headers.append(line)
            continue
        key = int(float(line.rsplit(" ", 1)[1])) // seconds
        piece = pieces.setdefault(key, [])
        if headed.get(key) != generation:
            piece.extend(headers)
            headed[key] = generation
        piece.append(line)
    return ["\n".join([*pieces[key], "# EOF", ""]) for key in sorted(pieces)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class BackfilledPrometheus:
    """Context manager: backfill ``openmetrics_text`` into ``workdir`` and serve it."""

    def __init__(
        self,
        openmetrics_text: str,
        workdir: str | Path,
        ready_timeout: float = 30.0,
        port: int | None = None,
    ):
        """``port``: where to serve (known before ``start``), else a free one at start."""
        if not openmetrics_text.rstrip().endswith("# EOF"):
            raise ValueError("OpenMetrics text must end with '# EOF'")
        self.text = openmetrics_text
        self.workdir = Path(workdir)
        self.ready_timeout = ready_timeout
        self.port = port
        self.url = f"http://127.0.0.1:{port}" if port else ""
        self.timings: dict[str, float] = {}
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BackfilledPrometheus:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        promtool, prometheus = find_binary("promtool"), find_binary("prometheus")
        self.workdir.mkdir(parents=True, exist_ok=True)
        data = self.workdir / "data"
        began = time.perf_counter()
        self._backfill(promtool, data)
        self.timings["backfill_seconds"] = time.perf_counter() - began
        began = time.perf_counter()
        for attempt in range(3):  # another process may grab the free port first
            try:
                self._serve(prometheus, data)
                break
            except BackfillError:
                busy = "address already in use" in self._log_tail()
                if attempt == 2 or not busy or self.port:
                    raise
        self.timings["start_seconds"] = time.perf_counter() - began

    def _backfill(self, promtool: str, data: Path) -> None:
        # promtool re-reads its whole input for every 2-hour block it writes: days of
        # samples in one file cost days/2h full reads. Pieces of CHUNK_SECONDS each are read
        # CHUNK_SECONDS/2h times at most; four promtools run at a time.
        pieces = split_openmetrics(self.text, CHUNK_SECONDS)
        sources = []
        for i, piece in enumerate(pieces):
            source = self.workdir / f"in-{i:03d}.om"
            source.write_text(piece, encoding="utf-8")
            sources.append(source)
        with ThreadPoolExecutor(max_workers=4) as pool:
            failures = [f for f in pool.map(lambda p: _promtool(promtool, p, data), sources) if f]
        if failures:
            raise BackfillError(failures[0])

    def _serve(self, prometheus: str, data: Path) -> None:
        config = self.workdir / "prometheus.yml"
        config.write_text(CONFIG, encoding="utf-8")
        port = self.port or _free_port()
        log = (self.workdir / "prometheus.log").open("wb")
        self._process = subprocess.Popen(
            [
                prometheus,
                f"--config.file={config}",
                f"--storage.tsdb.path={data}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--storage.tsdb.retention.time=30d",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a terminal's Ctrl-C reaches us only; stop() ends it
        )
        log.close()
        atexit.register(self.stop)  # in case the owner never reaches stop()
        self.url = f"http://127.0.0.1:{port}"
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise BackfillError(
                    f"prometheus exited ({self._process.returncode}): {self._log_tail()}"
                )
            try:
                if requests.get(f"{self.url}/-/ready", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.stop()
        raise BackfillError(f"prometheus not ready after {self.ready_timeout}s: {self._log_tail()}")

    def _log_tail(self) -> str:
        path = self.workdir / "prometheus.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop within 10 s)."""
        process, self._process = self._process, None
        atexit.unregister(self.stop)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
