"""One replica against three, sharing Redis (claims, leases, pacing) and PostgreSQL (state).

    .venv/bin/python benchmarks/scale.py [--seconds 10] [--pooled]

Each replica is ``create_app`` (production registry) served by uvicorn in its own
process; the fake open platform runs in another. The load generator (this process) sends
pre-built, signed and encrypted events open-loop, round-robin over the replicas, and
measures the ack latency from each request's due time. ``/help`` runs also report how
fast the answers went out (skill runs on all replicas / time until the last one).

Uses a fresh PostgreSQL database (dropped afterwards) on 127.0.0.1:5432 and a unique key
prefix in Redis on 127.0.0.1:6379 (deleted afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import time
from pathlib import Path

import psycopg
import redis
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ack_latency import (  # noqa: E402
    HEADER,
    Server,
    bodies,
    bot_env,
    fresh_platform,
    open_loop,
    row,
    skill_runs,
    spawn,
)

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


def start_replicas(
    count: int, platform: Server, role: str, db_url: str, workdir: Path, prefix: str
) -> list[Server]:
    config = workdir / f"scale-{count}.yaml"
    config.write_text(yaml.safe_dump({"redis": {"key_prefix": prefix}}))
    env = bot_env(platform, DATABASE_URL=db_url, REDIS_URL=REDIS_URL, CLOUDOPS_CONFIG=str(config))
    return [spawn(role, env, workdir / f"replica-{count}-{i}.log") for i in range(count)]


def answered(replicas: list[Server]) -> float:
    return sum(skill_runs(r.url) for r in replicas)


def measure(replicas: list[Server], kind: str, rate: float, seconds: float) -> None:
    urls = [r.url + "/feishu/events" for r in replicas]
    before = answered(replicas) if kind == "help" else 0.0
    started = time.monotonic()
    outcome = asyncio.run(open_loop(urls, bodies(kind, int(rate * seconds)), rate))
    label = f"{len(replicas)} replica{'s' if len(replicas) > 1 else ''}, {kind}"
    print(row(label, rate, outcome), flush=True)
    if kind != "help":
        return
    while answered(replicas) - before < len(outcome.latencies):
        if time.monotonic() - started > seconds + 60:
            break
        time.sleep(0.25)
    done = answered(replicas) - before
    spent = time.monotonic() - started
    print(
        f"|   answered {done:.0f} of {len(outcome.latencies)} acked in {spent:.1f} s = "
        f"{done / spent:.0f}/s | | | | | | | |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--ignored-rate", type=float, default=400)
    parser.add_argument("--help-rates", default="100,200")
    parser.add_argument("--pooled", action="store_true", help="pooled lark HTTP client")
    args = parser.parse_args()
    role = "bot-pooled" if args.pooled else "bot"
    name = f"cloudops_bench_{secrets.token_hex(4)}"
    prefix = f"cloudops-bench-{secrets.token_hex(4)}:"
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"scale-bench-{secrets.token_hex(3)}"
    workdir.mkdir(parents=True)
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    db_url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    platform = spawn("platform")
    try:
        print(f"load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs; {role}")
        print(HEADER)
        for count in (1, 3):
            replicas = start_replicas(count, platform, role, db_url, workdir, prefix)
            time.sleep(5)  # let start-up work settle before the clock runs
            try:
                measure(replicas, "ignored", args.ignored_rate, args.seconds)
                for rate in (float(r) for r in args.help_rates.split(",")):
                    platform = fresh_platform(platform)
                    measure(replicas, "help", rate, args.seconds)
            finally:
                for replica in replicas:
                    replica.stop()
    finally:
        platform.stop()
        with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        client.close()


if __name__ == "__main__":
    main()
