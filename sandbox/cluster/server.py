"""``KubeSimulator``: the simulated API server on 127.0.0.1, in a background thread."""

from __future__ import annotations

import re
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml
from kubernetes import client

from sandbox.cluster.access_review import REVIEW_PATH, Rbac, review
from sandbox.cluster.api import Response, handle, status_error
from sandbox.cluster.controllers import reconcile_deployments
from sandbox.cluster.faults import Fault, RecordedRequest
from sandbox.cluster.kinds import after_kubelet, before_kubelet
from sandbox.cluster.kubelet import run_kubelet
from sandbox.cluster.quota import refresh_quotas
from sandbox.cluster.services import refresh_endpoints
from sandbox.cluster.world import World

__all__ = ["KubeSimulator", "step"]


def step(world: World, seconds: float = 1.0) -> None:
    """Advance simulated time by ``seconds`` and let every controller act once."""
    with world.lock:
        world.clock += seconds
        reconcile_deployments(world)
        before_kubelet(world)
        run_kubelet(world)
        reconcile_deployments(world)
        after_kubelet(world)
        refresh_endpoints(world)
        refresh_quotas(world)


class KubeSimulator:
    """``with KubeSimulator(world) as sim:`` serves ``world`` at ``sim.url``.

    ``auto_tick`` (real seconds) advances simulated time in the background by
    ``tick_seconds`` per interval; leave it None and call ``tick()`` for determinism.
    """

    def __init__(
        self,
        world: World | None = None,
        *,
        auto_tick: float | None = None,
        tick_seconds: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._address = (host, port)
        self.world = world if world is not None else World()
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.rbac = Rbac()  # answers SelfSubjectAccessReview; allows everything by default
        self._auto_tick = auto_tick
        self._tick_seconds = tick_seconds
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> KubeSimulator:
        server = ThreadingHTTPServer(self._address, _handler_for(self))
        server.daemon_threads = True
        self._server = server
        serving = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="kube-sim",
            daemon=True,
        )
        self._threads = [serving]
        if self._auto_tick is not None:
            self._threads.append(
                threading.Thread(target=self._ticker, name="kube-sim-tick", daemon=True)
            )
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> KubeSimulator:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _ticker(self) -> None:
        assert self._auto_tick is not None
        while not self._stop.wait(self._auto_tick):
            step(self.world, self._tick_seconds)

    # -- time -------------------------------------------------------------------------
    def tick(self, seconds: float = 1.0, *, step_seconds: float = 1.0) -> None:
        """Advance simulated time in steps of ``step_seconds``."""
        remaining = seconds
        while remaining > 1e-9:
            step(self.world, min(step_seconds, remaining))
            remaining -= step_seconds

    # -- clients ----------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the simulator is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def api_client(self) -> client.ApiClient:
        """A real kubernetes ``ApiClient`` pointed at this server, without retries."""
        configuration = client.Configuration(host=self.url)
        configuration.retries = 0
        return client.ApiClient(configuration)

    def kubeconfig_path(self) -> Path:
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="kube-sim-")
        path = Path(self._tmp.name) / "kubeconfig"
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "sim", "cluster": {"server": self.url}}],
            "users": [{"name": "sim", "user": {"token": "simulator"}}],
            "contexts": [{"name": "sim", "context": {"cluster": "sim", "user": "sim"}}],
            "current-context": "sim",
        }
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        return path

    # -- requests and faults ----------------------------------------------------------
    def inject_fault(
        self,
        pattern: str,
        *,
        method: str | None = None,
        status: int = 500,
        hang: float = 0.0,
        times: int | None = None,
        skip: int = 0,
    ) -> Fault:
        """Answer matching requests with ``status`` (after ``hang`` seconds), ``times``
        times (None: always), after letting the first ``skip`` through."""
        fault = Fault(pattern, method=method, status=status, hang=hang, times=times, skip=skip)
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()

    def requests_to(self, method: str, pattern: str = "") -> list[RecordedRequest]:
        return [r for r in list(self.requests) if r.method == method and re.search(pattern, r.path)]

    def serve(self, method: str, target: str, ctype: str, body: bytes) -> Response:
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        self.requests.append(RecordedRequest(method, parts.path, query, ctype, body))
        fault = next((f for f in list(self.faults) if f.take(method, parts.path)), None)
        if fault is not None:
            if fault.hang:
                self._stop.wait(fault.hang)
            return status_error(fault.status, "InternalError", "injected fault")
        if method == "POST" and parts.path == REVIEW_PATH:
            return review(self.rbac, body)
        return handle(self.world, method, parts.path, query, ctype, body)


def _handler_for(sim: KubeSimulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            ctype = self.headers.get("Content-Type", "")
            try:
                response = sim.serve(self.command, self.path, ctype, body)
            except Exception as error:  # the simulator must answer, like a real server
                response = status_error(500, "InternalError", f"simulator error: {error!r}")
            try:
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_PATCH = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
