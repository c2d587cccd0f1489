"""Check the demo end to end and time it: ``python -m sandbox.demo.selfcheck --seeds 5``.

For each seed: generate the incident and a healthy service, backfill them into a real
Prometheus, fetch the RCA window (30 minutes ending at the scenario's end) and rank.
Prints one JSON line per seed.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import timedelta
from typing import Any

from analysis.prometheus import PrometheusSource
from analysis.ranking import rank_root_causes
from sandbox.demo.backfill import BackfilledPrometheus
from sandbox.demo.scenario import healthy_scenario, incident_scenario, openmetrics

RCA_WINDOW = timedelta(minutes=30)


def check(seed: int, minutes: int = 60) -> dict[str, Any]:
    began = time.perf_counter()
    incident = incident_scenario(minutes=minutes, onset_minute=minutes - 20, seed=seed)
    healthy = healthy_scenario(start=incident.start, minutes=minutes, seed=seed + 1000)
    text = openmetrics(incident, healthy)
    generated = time.perf_counter() - began
    with tempfile.TemporaryDirectory() as workdir, BackfilledPrometheus(text, workdir) as server:
        config = {**incident.services_config(), **healthy.services_config()}
        with PrometheusSource(server.url, services=config) as source:
            began = time.perf_counter()
            frame = source.fetch(
                "payments", incident.namespace, incident.end - RCA_WINDOW, incident.end
            )
            fetched = time.perf_counter() - began
            calm = source.fetch(
                "storefront", healthy.namespace, healthy.end - RCA_WINDOW, healthy.end
            )
        timings = server.timings
    sick, quiet = rank_root_causes(frame), rank_root_causes(calm)
    top = sick.candidates[:3]
    return {
        "seed": seed,
        "openmetrics_mb": round(len(text) / 1e6, 2),
        "generate_s": round(generated, 2),
        "backfill_s": round(timings["backfill_seconds"], 2),
        "start_s": round(timings["start_seconds"], 2),
        "fetch_s": round(fetched, 2),
        "series": int(frame.groupby(["entity", "metric"]).ngroups),
        "culprit_first": bool(top and top[0].entity in incident.pods[incident.culprit or ""]),
        "verdict": sick.verdict,
        "top3": [(c.entity, c.metric, round(c.score, 3)) for c in top],
        "healthy_verdict": quiet.verdict,
        "healthy_top": [(c.entity, c.metric, round(c.score, 3)) for c in quiet.candidates[:1]],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.demo.selfcheck")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--minutes", type=int, default=60)
    options = parser.parse_args(argv)
    for seed in range(options.seeds):
        print(json.dumps(check(seed, options.minutes)), flush=True)


if __name__ == "__main__":
    main()
