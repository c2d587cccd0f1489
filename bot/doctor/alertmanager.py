"""Alertmanager (optional): its API answers, and alerts can reach ``POST /alertmanager``."""

from __future__ import annotations

import httpx

from bot.doctor.inputs import DoctorInput
from bot.doctor.redaction import shown_url
from bot.doctor.result import Check
from config.availability import availability

__all__ = ["alertmanager_checks", "RECEIVER"]

RECEIVER = """receivers:
  - name: cloudops
    webhook_configs:
      - url: http://cloudops.cloudops.svc:8080/alertmanager
        http_config:
          authorization:
            credentials_file: /etc/alertmanager/secrets/cloudops-token
"""


async def alertmanager_checks(inputs: DoctorInput) -> list[Check]:
    settings = inputs.settings
    configured = availability(settings)
    url = (settings.alertmanager_url or "").strip().rstrip("/")
    checks: list[Check] = []
    shown = shown_url(url)
    if configured.alertmanager_api:
        try:
            async with httpx.AsyncClient(timeout=inputs.timeout) as client:
                response = await client.get(f"{url}/api/v2/status")
            if response.status_code == 200:
                checks.append(Check.ok("alertmanager.api", f"answers at {shown}"))
            else:
                checks.append(
                    Check.fail(
                        "alertmanager.api",
                        f"{shown}/api/v2/status answered HTTP {response.status_code}",
                        "set ALERTMANAGER_URL to the Alertmanager base URL (the Silence button "
                        "uses /api/v2/silences)",
                    )
                )
        except httpx.HTTPError as exc:
            checks.append(
                Check.fail(
                    "alertmanager.api",
                    f"{shown} does not answer: {type(exc).__name__}",
                    "set ALERTMANAGER_URL to an address reachable from the bot",
                )
            )
    if configured.alert_webhook:
        checks.append(
            Check.ok("alertmanager.webhook", "POST /alertmanager accepts the bearer token")
        )
    elif configured.alertmanager_api:
        checks.append(
            Check.warn(
                "alertmanager.webhook",
                "ALERTMANAGER_WEBHOOK_TOKEN is not set: POST /alertmanager refuses every alert",
                "put a random token in ALERTMANAGER_WEBHOOK_TOKEN and the same in the file "
                "Alertmanager reads, with this receiver:\n" + RECEIVER,
            )
        )
    if not checks:
        checks.append(Check.ok("alertmanager", "not configured (optional: alert cards)"))
    return checks
