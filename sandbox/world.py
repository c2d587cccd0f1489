"""The sandbox's composition: fake Feishu, demo metrics, simulated cluster and the real bot
app (production capabilities plus the web chat), all in one process."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from fastapi import FastAPI

from bot.app import BotRuntime, CapabilityParts, create_app
from bot.registry import Registry
from bot.services import Services
from bot.serving import ThreadedServer, free_port
from sandbox.capabilities import sandbox_capabilities
from sandbox.feishu import EventSender, FakePlatform
from sandbox.metrics.demo_metrics import DemoMetrics, start_demo_metrics
from sandbox.people import APP_ID, BOT_OPEN_ID
from sandbox.routes import ChatBridge, sandbox_router
from sandbox.settings import SandboxSecrets, sandbox_settings

__all__ = ["Sandbox"]

log = structlog.get_logger(__name__)
STAGING_HISTORY_DAYS = 1.0  # enough for the scans; /forecast wants prod's week


class Sandbox:
    """``Sandbox(...).start()`` serves everything on ``port`` (tests); ``prepare()`` only
    builds the app, for a caller that serves it itself (``run_sandbox``)."""

    def __init__(self, *, port: int = 0, lang: str = "zh-CN", metrics_engine: str = "auto") -> None:
        self.port = port or free_port()
        self.lang = lang
        self.metrics_engine = metrics_engine
        self.keys = SandboxSecrets()
        # a fresh app id per sandbox: lark caches tenant tokens process-wide per app id
        self.platform = FakePlatform(
            app_id=f"{APP_ID}_{secrets.token_hex(4)}",
            app_secret=self.keys.app_secret,
            bot_open_id=BOT_OPEN_ID,
        )
        self.now = datetime.now(UTC).replace(second=0, microsecond=0)
        self.workdir = Path(tempfile.mkdtemp(prefix="cloudops-sandbox-"))
        self.metrics: DemoMetrics | None = None  # prod's
        self.simulator: Any = None  # prod's
        # The second simulated cluster, "staging": its own API server and Prometheus,
        # where a different dependency (fraud, delayed calls) slows payments down.
        self.staging_metrics: DemoMetrics | None = None
        self.staging_simulator: Any = None
        self.app: FastAPI | None = None
        self._server: ThreadedServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def chat_url(self) -> str:
        return f"{self.url}/sandbox"

    @property
    def runtime(self) -> BotRuntime:
        """The running bot: its services (store, clock ...) and its registry."""
        if self.app is None:
            raise RuntimeError("the sandbox is not prepared")
        runtime: BotRuntime = self.app.state.runtime
        return runtime

    @property
    def services(self) -> Services:
        """The running bot's services (store, clock ...)."""
        return self.runtime.services

    @property
    def registry(self) -> Registry:
        """The running bot's skills and card actions."""
        return self.runtime.registry

    def prepare(self) -> FastAPI:
        self.platform.start()
        self.simulator = _start_simulator()
        self.staging_simulator = _start_simulator()
        self.metrics = start_demo_metrics(
            self.workdir / "prod",
            self.now,
            engine=self.metrics_engine,
            pods=_pods(self.simulator),
        )
        self.staging_metrics = start_demo_metrics(
            self.workdir / "staging",
            self.now,
            engine=self.metrics_engine,
            pods=_pods(self.staging_simulator),
            history_days=STAGING_HISTORY_DAYS,
            culprit="fraud",
            fault="network_delay",
            seed=5,
        )
        settings = sandbox_settings(
            app_id=self.platform.app_id,
            domain=self.platform.url,
            clusters={"prod": self.metrics.url, "staging": self.staging_metrics.url},
            services=self.metrics.services_config(),
            workdir=self.workdir,
            keys=self.keys,
            lang=self.lang,
        )
        simulators = {"prod": self.simulator, "staging": self.staging_simulator}
        for entry in settings.clusters:
            simulator = simulators[entry.name]
            if simulator is not None:
                # The production cluster capability picks this client up.
                entry.api_client = simulator.api_client()
        sender = EventSender(
            f"{self.url}/feishu/events",
            encrypt_key=self.keys.encrypt_key,
            verification_token=self.keys.verification_token,
            app_id=self.platform.app_id,
            bot_open_id=BOT_OPEN_ID,
            platform=self.platform,
        )
        bridge = ChatBridge(
            self.platform,
            sender,
            self.url,
            self.keys.alert_token,
            self.lang,
            self.metrics.engine,
            alert_pod=self.metrics.scenarios[0].pods["payments"][0],
        )
        capabilities = [
            *sandbox_capabilities(),
            self._capability(bridge),
        ]
        self.app = create_app(settings, capabilities=capabilities)
        return self.app

    def _capability(self, bridge: ChatBridge) -> Any:
        demo_now = self.now

        def sandbox(services: Services) -> CapabilityParts:
            # The demo's "now" stands still where the backfilled incident ends.
            services.clock = lambda: demo_now
            bridge.services = services
            return CapabilityParts(routes=sandbox_router(bridge))

        return sandbox

    def wait_ready(self) -> None:
        """Until the demo metrics answer (they are backfilled while the bot starts)."""
        for metrics in (self.metrics, self.staging_metrics):
            if metrics is not None:
                metrics.ready()

    def start(self) -> Sandbox:
        try:
            self._server = ThreadedServer(self.prepare(), self.port).start()
            self.wait_ready()
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
        for simulator in (self.simulator, self.staging_simulator):
            if simulator is not None:
                simulator.stop()
        for metrics in (self.metrics, self.staging_metrics):
            if metrics is not None:
                metrics.stop()
        self.platform.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self if self.app is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _pods(simulator: Any) -> dict[str, tuple[str, ...]] | None:
    """The demo namespace's pod names by deployment, as the simulated cluster has them."""
    if simulator is None:
        return None
    found: dict[str, list[str]] = {}
    with simulator.world.lock:
        for pod in simulator.world.items("pods", "payments"):
            name = pod["metadata"]["name"]
            found.setdefault(name.rsplit("-", 2)[0], []).append(name)
    return {deployment: tuple(sorted(names)) for deployment, names in found.items()}


def _start_simulator() -> Any:
    """The simulated cluster with its demo world, five simulated seconds per real second."""
    try:
        from sandbox.cluster import KubeSimulator, demo_world
    except ImportError:  # a checkout without the simulator: the bot runs without a cluster
        log.warning("sandbox_without_cluster")
        return None
    return KubeSimulator(demo_world(), auto_tick=0.2, tick_seconds=1.0).start()
