"""Serve a backfilled demo incident: ``python -m sandbox.demo [--minutes 60] [--workdir DIR]``.

Prints the server URL, the RCA window and the ``prometheus.services`` settings that make
``/rca payments`` find the culprit, then serves until interrupted.
"""

from __future__ import annotations

import argparse
import json
import signal
import tempfile
import time
from datetime import timedelta

from sandbox.demo.backfill import BackfilledPrometheus
from sandbox.demo.scenario import healthy_scenario, incident_scenario, openmetrics


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.demo", description=__doc__)
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--culprit", default="ledger")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", default=None, help="default: a new temporary folder")
    options = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _exit)  # leave the with-block so Prometheus is stopped
    incident = incident_scenario(
        minutes=options.minutes,
        onset_minute=options.minutes - 20,
        culprit=options.culprit,
        seed=options.seed,
    )
    healthy = healthy_scenario(start=incident.start, minutes=options.minutes)
    workdir = options.workdir or tempfile.mkdtemp(prefix="cloudops-demo-")
    with BackfilledPrometheus(openmetrics(incident, healthy), workdir) as server:
        config = {**incident.services_config(), **healthy.services_config()}
        print(
            json.dumps(
                {
                    "url": server.url,
                    "rca_window": [
                        (incident.end - timedelta(minutes=30)).isoformat(),
                        incident.end.isoformat(),
                    ],
                    "onset": incident.onset.isoformat() if incident.onset else None,
                    "culprit": incident.culprit,
                    "services": config,
                    "timings": server.timings,
                },
                indent=2,
            ),
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
