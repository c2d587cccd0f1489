"""``run_sandbox``: what ``cloudops sandbox`` runs (serves until interrupted)."""

from __future__ import annotations

import os
import signal
import threading
import time

import uvicorn

from sandbox.world import Sandbox

__all__ = ["run_sandbox"]


def _announce(server: uvicorn.Server, sandbox: Sandbox, began: float) -> None:
    while not server.started and not server.should_exit:
        time.sleep(0.02)
    try:
        sandbox.wait_ready()
    except Exception as exc:  # noqa: BLE001 - shown to the newcomer, then the sandbox stops
        print(f"CloudOps sandbox: the demo metrics did not start: {exc}", flush=True)
        server.should_exit = True
        return
    if server.started:
        seconds = time.perf_counter() - began
        assert sandbox.metrics is not None and sandbox.staging_metrics is not None
        staging = sandbox.staging_metrics
        cluster = "simulated" if sandbox.simulator else "none"
        print(
            f"CloudOps sandbox ready in {seconds:.1f}s\n"
            f"  metrics: {sandbox.metrics.engine} at {sandbox.metrics.url}\n"
            f"  cluster: {cluster} (prod, the default; staging: /cluster use staging)\n"
            f"  staging metrics: {staging.engine} at {staging.url}\n"
            f"Open {sandbox.chat_url} and type /help  (Ctrl-C stops it)",
            flush=True,
        )


class Terminated(Exception):
    """SIGTERM arrived (``kill``): stop like Ctrl-C."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


def run_sandbox(port: int = 8080, host: str = "127.0.0.1", *, lang: str | None = None) -> None:
    """Start the bot with a fake Feishu, demo metrics and a simulated cluster; serve the web
    chat at ``/sandbox`` on ``host:port``. The language is ``lang``, else
    ``$CLOUDOPS_LANGUAGE``, else zh-CN."""
    began = time.perf_counter()
    # uvicorn re-raises the SIGTERM it handled once it has stopped: end as Ctrl-C does
    # (through ``finally``: the demo Prometheus stops and the temp folder goes), not killed.
    signal.signal(signal.SIGTERM, _terminated)
    sandbox = Sandbox(port=port, lang=lang or os.environ.get("CLOUDOPS_LANGUAGE") or "zh-CN")
    try:
        app = sandbox.prepare()
        config = uvicorn.Config(
            app, host=host, port=sandbox.port, log_level="warning", access_log=False
        )
        server = uvicorn.Server(config)
        threading.Thread(target=_announce, args=(server, sandbox, began), daemon=True).start()
        server.run()
    except (KeyboardInterrupt, Terminated):  # uvicorn re-raises what it handled: normal exits
        pass
    finally:
        sandbox.close()
