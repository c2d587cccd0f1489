"""Ack latency of ``POST /feishu/events`` under open-loop load, next to a bare endpoint.

    .venv/bin/python benchmarks/ack_latency.py [--rate 200] [--seconds 10]

Every server runs in its own process (uvicorn, loopback): the fake open platform, the
bot (``create_app`` with the production registry, SQLite state, one process) and a bare
FastAPI endpoint that reads the body and answers ``{"msg":"success"}``. The load
generator pre-builds signed and encrypted events (``EventSender.wire``) and sends them
open-loop at a fixed rate with an async httpx pool; latency is measured per request from
the moment it was due (so a late generator counts against the result, never for it).

Workloads: ``ignored`` = group messages that do not mention the bot (acked, then dropped
by the router in the worker: nothing is sent), ``help`` = ``/help`` mentioning the bot in
distinct chats (each answered with a card sent to the fake platform).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.serving import free_port  # noqa: E402
from sandbox.feishu import EventSender  # noqa: E402

ENCRYPT_KEY = "bench-encrypt-key-0123456789"
VERIFICATION_TOKEN = "bench-verification-token"
APP_ID, APP_SECRET = "cli_bench", "bench-secret"
SKILL_RUNS = re.compile(r'^cloudops_skill_latency_seconds_count\{skill="/?help"\} (\S+)$', re.M)


# -- server roles, each run as ``ack_latency.py --role <name> --port <port>`` -------------
def serve_platform(port: int) -> None:
    from sandbox.feishu import FakePlatform

    FakePlatform(app_id=APP_ID, app_secret=APP_SECRET, port=port).start()
    while True:
        time.sleep(3600)


def serve_bot(port: int) -> None:
    import uvicorn

    from bot.app import create_app
    from config.settings import load_settings

    app = create_app(load_settings())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


class PooledClient:
    """Stands in for the ``httpx`` module inside lark-oapi's transport: every
    ``async with httpx.AsyncClient()`` there gets one shared, pooled client instead of a
    new client (new SSL context, new TCP connection) per API call. Benchmark-only, to
    measure what fixing that in the messenger would buy."""

    def __init__(self) -> None:
        self.client = httpx.AsyncClient(limits=httpx.Limits(max_connections=64))

    def AsyncClient(self, *args: object, **kwargs: object) -> PooledClient:  # noqa: N802
        return self

    async def __aenter__(self) -> httpx.AsyncClient:
        return self.client

    async def __aexit__(self, *exc: object) -> None:
        return None


def serve_bot_pooled(port: int) -> None:
    import lark_oapi.core.http.transport as lark_transport

    lark_transport.httpx = PooledClient()
    serve_bot(port)


def serve_bare(port: int) -> None:
    import uvicorn

    app = FastAPI()

    @app.post("/feishu/events")
    async def events(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"msg": "success"})

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


ROLES = {
    "platform": serve_platform,
    "bot": serve_bot,
    "bot-pooled": serve_bot_pooled,
    "bare": serve_bare,
}


# -- process control ---------------------------------------------------------------------
@dataclass
class Server:
    role: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def bot_env(platform: Server, **extra: str) -> dict[str, str]:
    return {
        "FEISHU_APP_ID": APP_ID,
        "FEISHU_APP_SECRET": APP_SECRET,
        "FEISHU_VERIFICATION_TOKEN": VERIFICATION_TOKEN,
        "FEISHU_ENCRYPT_KEY": ENCRYPT_KEY,
        "FEISHU_DOMAIN": platform.url,
        "CLOUDOPS_LANGUAGE": "en-US",
        **extra,
    }


def spawn(
    role: str, env: dict[str, str] | None = None, log: Path | None = None, port: int = 0
) -> Server:
    port = port or free_port()
    out = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, __file__, "--role", role, "--port", str(port)],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    server = Server(role, port, process)
    probe = "/readyz" if role.startswith("bot") else "/healthz" if role == "bare" else "/"
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{role} exited with {process.returncode}")
        try:
            if httpx.get(server.url + probe, timeout=2).status_code < 500:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{role} did not become ready")
        time.sleep(0.2)


# -- load ----------------------------------------------------------------------------------
def bodies(kind: str, count: int) -> list[tuple[bytes, dict[str, str]]]:
    """Signed, encrypted deliveries, each a distinct message (no dedupe hits)."""
    sender = EventSender("", encrypt_key=ENCRYPT_KEY, verification_token=VERIFICATION_TOKEN)
    sender.app_id = APP_ID
    run = secrets.token_hex(3)
    built = []
    for i in range(count):
        if kind == "ignored":
            envelope = sender.message_envelope("deploy done", chat_id="oc_bench", mention_bot=False)
        else:
            envelope = sender.message_envelope("/help", chat_id=f"oc_bench_{run}_{i}")
        built.append(sender.wire(envelope))
    return built


@dataclass
class Outcome:
    latencies: list[float]
    errors: int
    elapsed: float
    late: list[float]

    def percentile(self, q: float, values: list[float] | None = None) -> float:
        data = sorted(self.latencies if values is None else values)
        if not data:
            return float("nan")
        return data[min(len(data) - 1, int(q * len(data)))] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed


async def open_loop(
    urls: list[str], load: list[tuple[bytes, dict[str, str]]], rate: float
) -> Outcome:
    """Send ``load`` at ``rate``/s, round-robin over ``urls``; latency from the due time."""
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    latencies: list[float] = []
    late: list[float] = []
    errors = 0
    async with httpx.AsyncClient(timeout=10, limits=limits) as client:

        async def one(i: int, due: float) -> None:
            nonlocal errors
            body, headers = load[i]
            late.append(time.perf_counter() - due)
            try:
                response = await client.post(urls[i % len(urls)], content=body, headers=headers)
                if response.status_code != 200:
                    errors += 1
                    return
            except httpx.HTTPError:
                errors += 1
                return
            latencies.append(time.perf_counter() - due)

        for url in urls:  # open the connections before the clock starts
            await client.get(url.replace("/feishu/events", "/healthz"))
        start = time.perf_counter()
        tasks = []
        for i in range(len(load)):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, due)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    return Outcome(latencies, errors, elapsed, late)


def row(name: str, rate: float, outcome: Outcome) -> str:
    # A generator more than 50 ms late at p99 was starved of CPU: the machine (server,
    # fake platform and generator on the same cores) was saturated; the row says so.
    late = outcome.percentile(0.99, outcome.late) > 50
    starved = " (generator late: machine saturated)" if late else ""
    return (
        f"| {name}{starved} | {rate:.0f} | {outcome.rate:.0f} | {outcome.percentile(0.5):.1f} | "
        f"{outcome.percentile(0.99):.1f} | {outcome.percentile(1.0):.1f} | {outcome.errors} | "
        f"{outcome.percentile(0.99, outcome.late):.1f} |"
    )


HEADER = (
    "| target | offered/s | acked/s | p50 ms | p99 ms | max ms | errors | generator lag p99 ms |\n"
    "|---|---|---|---|---|---|---|---|"
)


def skill_runs(url: str) -> float:
    match = SKILL_RUNS.search(httpx.get(f"{url}/metrics", timeout=5).text)
    return float(match.group(1)) if match else 0.0


def fresh_platform(platform: Server) -> Server:
    """The fake's ledger grows with every answer (and it scans it per send): start anew."""
    platform.stop()
    return spawn("platform", port=platform.port)


def help_run(bot: Server, name: str, rate: float, seconds: float) -> None:
    """Open-loop /help at ``rate``; then wait for every answer (up to a minute)."""
    before = skill_runs(bot.url)
    load = bodies("help", int(rate * seconds))
    outcome = asyncio.run(open_loop([bot.url + "/feishu/events"], load, rate))
    print(row(name, rate, outcome), flush=True)
    drained = time.monotonic()
    while skill_runs(bot.url) - before < len(outcome.latencies):
        if time.monotonic() - drained > 60:
            break
        time.sleep(0.25)
    done = skill_runs(bot.url) - before
    print(
        f"|   answered {done:.0f} of {len(outcome.latencies)} acked, the last "
        f"{time.monotonic() - drained:.1f} s after the load ended | | | | | | | |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--help-rates", default="200,50", help="rates for the /help runs")
    parser.add_argument(
        "--pooled", action="store_true", help="also run /help with a pooled lark HTTP client"
    )
    parser.add_argument("--role", choices=sorted(ROLES))
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    if args.role:
        ROLES[args.role](args.port)
        return
    count = int(args.rate * args.seconds)
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"ack-bench-{secrets.token_hex(3)}"
    workdir.mkdir(parents=True)
    platform = spawn("platform")
    bare = spawn("bare")
    bot = spawn("bot", bot_env(platform, CLOUDOPS_DATA_DIR=str(workdir)), workdir / "bot.log")
    try:
        print(f"load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
        print(HEADER)
        for name, url in (("bare FastAPI", bare.url), ("bot, ignored", bot.url)):
            outcome = asyncio.run(
                open_loop([url + "/feishu/events"], bodies("ignored", count), args.rate)
            )
            print(row(name, args.rate, outcome), flush=True)
        for rate in (float(r) for r in args.help_rates.split(",")):
            platform = fresh_platform(platform)
            help_run(bot, "bot, /help", rate, args.seconds)
        bot.stop()
        if args.pooled:
            data = str(workdir / "pooled")
            bot = spawn("bot-pooled", bot_env(platform, CLOUDOPS_DATA_DIR=data), workdir / "p.log")
            for rate in (float(r) for r in args.help_rates.split(",")):
                platform = fresh_platform(platform)
                help_run(bot, "bot + pooled lark client, /help", rate, args.seconds)
    finally:
        for server in (bot, bare, platform):
            server.stop()


if __name__ == "__main__":
    main()
