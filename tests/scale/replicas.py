"""Bot replicas as separate OS processes (``tests/scale/instance.py``), all sharing one
fake open platform, one PostgreSQL database and one Redis key prefix.

Replicas are forked from a multiprocessing fork server that imported the bot once; each
is still its own process (own pid, memory, event loop, connections) and dies by SIGKILL.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

from bot.serving import free_port
from sandbox.feishu import EventSender, FakePlatform
from tests.scale.instance import serve

__all__ = ["Replica", "Replicas", "ENCRYPT_KEY", "VERIFICATION_TOKEN"]

ENCRYPT_KEY = "scale-encrypt-key-0123456789"
VERIFICATION_TOKEN = "scale-verification-token"
FORKS = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload(["tests.scale.instance"])


@dataclass
class Replica:
    name: str
    port: int
    process: multiprocessing.process.BaseProcess
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def events_url(self) -> str:
        return f"{self.url}/feishu/events"

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        """``kill -9``: no shutdown hooks, no lease release, work in flight is lost."""
        self.process.kill()
        self.process.join(10)


@dataclass
class Replicas:
    platform: FakePlatform
    db_url: str
    redis_url: str
    redis_prefix: str
    workdir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    members: list[Replica] = field(default_factory=list)
    _count: int = 0

    def __post_init__(self) -> None:
        self.config = self.workdir / "scale.yaml"
        # Short resume lease and scan: a killed replica's command is answered within seconds.
        runtime = {"resume_lease_seconds": 2, "resume_scan_seconds": 0.5}
        config = {"redis": {"key_prefix": self.redis_prefix}, "runtime": runtime}
        self.config.write_text(yaml.safe_dump(config))

    def sender(self, replica: Replica) -> EventSender:
        return EventSender(
            replica.events_url,
            encrypt_key=ENCRYPT_KEY,
            verification_token=VERIFICATION_TOKEN,
            app_id=self.platform.app_id,
            bot_open_id=self.platform.bot_open_id,
            platform=self.platform,
        )

    @property
    def alive(self) -> list[Replica]:
        return [r for r in self.members if r.alive]

    def _spawn(self) -> Replica:
        self._count += 1
        name, port = f"replica-{self._count}", free_port()
        env = {
            "FEISHU_APP_ID": self.platform.app_id,
            "FEISHU_APP_SECRET": self.platform.app_secret,
            "FEISHU_VERIFICATION_TOKEN": VERIFICATION_TOKEN,
            "FEISHU_ENCRYPT_KEY": ENCRYPT_KEY,
            "FEISHU_DOMAIN": self.platform.url,
            "DATABASE_URL": self.db_url,
            "REDIS_URL": self.redis_url,
            "CLOUDOPS_CONFIG": str(self.config),
            "CLOUDOPS_LANGUAGE": "en-US",
            "SCALE_PORT": str(port),
            "SCALE_NAME": name,
            **self.env,
        }
        log = self.workdir / f"{name}.log"
        process = FORKS.Process(target=serve, args=(env, str(log)), name=name, daemon=True)
        process.start()
        replica = Replica(name, port, process, log)
        self.members.append(replica)
        return replica

    def start(self, count: int, timeout: float = 60) -> list[Replica]:
        """Start ``count`` replicas at once and wait until every one is ready."""
        started = [self._spawn() for _ in range(count)]
        deadline = time.monotonic() + timeout
        waiting = list(started)
        with httpx.Client(timeout=2) as client:
            while waiting:
                replica = waiting[0]
                if not replica.alive:
                    raise RuntimeError(f"{replica.name} exited:\n{replica.log.read_text()}")
                try:
                    if client.get(f"{replica.url}/readyz").status_code == 200:
                        waiting.pop(0)
                        continue
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{replica.name} not ready:\n{replica.log.read_text()}")
                time.sleep(0.1)
        return started

    def ensure(self, count: int) -> list[Replica]:
        missing = count - len(self.alive)
        if missing > 0:
            self.start(missing)
        return self.alive[:count]

    def kill_all(self) -> None:
        for replica in self.alive:
            replica.kill()

    def stop(self) -> None:
        for replica in self.alive:
            replica.process.terminate()
        for replica in self.members:
            replica.process.join(10)
            if replica.alive:
                replica.kill()
