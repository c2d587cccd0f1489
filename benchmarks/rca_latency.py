"""How long /rca takes from the Feishu event to the final card, with no LLM.

Backfills a real Prometheus with the payments incident, runs the bot against the fake open
platform, sends `/rca payments 30m` repeatedly and times event POST → final card patch.

    .venv/bin/python benchmarks/rca_latency.py [--runs 20]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from bot.app import create_app
from bot.app.capabilities import prometheus_capability
from bot.serving import ThreadedServer
from config.settings import load_settings
from sandbox.demo import BackfilledPrometheus, incident_scenario
from sandbox.feishu import EventSender, FakePlatform


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    incident = incident_scenario(minutes=60, onset_minute=40, seed=3)
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakePlatform(app_id="cli_" + secrets.token_hex(4)) as platform,
        BackfilledPrometheus(incident.text, Path(tmp) / "prom") as prom,
    ):
        config = Path(tmp) / "c.yaml"
        config.write_text(yaml.safe_dump({"prometheus": {"services": incident.services_config()}}))
        settings = load_settings(
            {
                "FEISHU_APP_ID": platform.app_id,
                "FEISHU_APP_SECRET": platform.app_secret,
                "FEISHU_VERIFICATION_TOKEN": "v",
                "FEISHU_ENCRYPT_KEY": "k" * 16,
                "FEISHU_DOMAIN": platform.url,
                "DATABASE_URL": f"sqlite:///{tmp}/s.db",
                "PROMETHEUS_URL": prom.url,
                "CLOUDOPS_CONFIG": str(config),
            }
        )
        app = create_app(settings, capabilities=[prometheus_capability])
        end = incident.end.to_pydatetime()
        app.state.runtime.services.clock = lambda: end
        with ThreadedServer(app) as server:
            sender = EventSender(
                f"{server.url}/feishu/events",
                encrypt_key="k" * 16,
                verification_token="v",
                app_id=platform.app_id,
                bot_open_id=platform.bot_open_id,
                platform=platform,
            )
            seconds = []
            for run in range(args.runs + 1):
                chat = f"oc_bench_{run}"
                started = time.perf_counter()
                sender.say("/rca payments 30m", chat_id=chat)
                platform.ledger.wait_for(
                    lambda c=chat: (m := platform.ledger.sent(c)) and m[0].versions, 30
                )
                if run:  # the first run warms imports and connections
                    seconds.append(time.perf_counter() - started)
    seconds.sort()
    p95 = seconds[max(0, int(round(0.95 * len(seconds))) - 1)]
    print(
        f"/rca to final card over {len(seconds)} runs: "
        f"p50 {statistics.median(seconds):.3f} s, p95 {p95:.3f} s, max {seconds[-1]:.3f} s"
    )


if __name__ == "__main__":
    main()
