"""At start-up the doctor runs in the background: one log line per check, and the results
under ``"doctor"`` in ``/healthz?verbose=1`` (plain ``/healthz`` stays as it was)."""

from __future__ import annotations

from typing import Any

import httpx
from structlog.testing import capture_logs

from bot.app.doctor import doctor_capability
from sandbox.feishu import FakePlatform
from tests.conftest import start_bot


def test_startup_checks_are_logged_and_served(platform: FakePlatform, db_url: str) -> None:
    platform.revoke_scope("im:resource")
    with capture_logs() as logs:
        bot = start_bot(
            platform,
            db_url,
            capabilities=[doctor_capability],
            PROMETHEUS_URL="http://127.0.0.1:1",  # nothing listens: a failed check
        )
        try:

            def verbose() -> Any:
                body = httpx.get(f"{bot.url}/healthz", params={"verbose": 1}).json()
                return body.get("doctor") and body

            body = bot.wait_for(verbose, timeout=30)
            plain = httpx.get(f"{bot.url}/healthz").json()
        finally:
            bot.stop()
    assert plain == {"status": "ok"}
    checks = {c["name"]: c for c in body["doctor"]["checks"]}
    assert checks["feishu.token"]["status"] == "ok"
    assert checks["feishu.scopes"]["status"] == "fail"
    assert "im:resource" in checks["feishu.scopes"]["detail"]
    assert checks["prometheus.reachable"]["status"] == "fail"
    logged = [e for e in logs if e.get("event") == "doctor_check"]
    assert sorted(e["check"] for e in logged) == sorted(checks)
    failed = next(e for e in logged if e["check"] == "prometheus.reachable")
    assert failed["log_level"] == "error" and "PROMETHEUS_URL" in failed["fix"]
