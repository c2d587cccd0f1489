"""The sandbox's settings: Feishu at the fake, Prometheus at the demo, state in a temp dir."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from config.settings import Settings, load_settings
from sandbox.people import GROUP_CHAT, PARTNER_OPEN_ID, USER_OPEN_ID

__all__ = ["SandboxSecrets", "sandbox_settings", "DEMO_NAMESPACES", "TEAM"]

DEMO_NAMESPACES = ("payments", "default", "shop")
TEAM = "payments"  # the demo's on-call team
# Optional parts the process environment may switch on in the sandbox too: the LLM, web
# search and the knowledge base's folder, embeddings and Weaviate.
PASSED_THROUGH = (
    *(name.upper() for name in Settings.model_fields if name.startswith("llm_")),
    "TAVILY_API_KEY",
    "CLOUDOPS_KNOWLEDGE_DIR",
    "EMBEDDINGS_BASE_URL",
    "EMBEDDINGS_API_KEY",
    "EMBEDDINGS_MODEL",
    "WEAVIATE_URL",
    "WEAVIATE_API_KEY",
)


@dataclass(frozen=True)
class SandboxSecrets:
    """Fresh per run: nothing here is a real credential."""

    app_secret: str = field(default_factory=lambda: secrets.token_hex(12))
    encrypt_key: str = field(default_factory=lambda: secrets.token_hex(16))
    verification_token: str = field(default_factory=lambda: secrets.token_hex(12))
    api_token: str = field(default_factory=lambda: secrets.token_hex(16))
    alert_token: str = field(default_factory=lambda: secrets.token_hex(16))


def _config(services: Mapping[str, Any], clusters: Mapping[str, str]) -> dict[str, Any]:
    return {
        "prometheus": {"services": dict(services)},
        # Two simulated clusters, each with its own Prometheus; /cluster use switches.
        "clusters": [{"name": name, "prometheus": {"url": url}} for name, url in clusters.items()],
        "default_cluster": next(iter(clusters)),
        "approvals": {
            "approvers": [{"open_id": USER_OPEN_ID, "namespaces": list(DEMO_NAMESPACES)}]
        },
        # Reads stay open to everyone; the demo user administers the demo (/cluster use).
        "access": {
            "reads": "everyone",
            "grants": [
                {"role": "admin", "open_ids": [USER_OPEN_ID], "namespaces": list(DEMO_NAMESPACES)}
            ],
        },
        # Alert cards land in the demo group; payments alerts are the demo team's, whose
        # rota the page shows, and who are escalated to when nobody claims.
        "alerts": {
            "routes": [{"match": {"namespace": "payments"}, "chat_id": GROUP_CHAT, "team": TEAM}],
            "default_chat_id": GROUP_CHAT,
        },
        "oncall": {
            "teams": {
                TEAM: {
                    "members": [USER_OPEN_ID, PARTNER_OPEN_ID],
                    "rotation": "daily",
                    "handover": "10:00",
                    "timezone": "Asia/Shanghai",
                    "escalation": [{"after_minutes": 5, "via": "urgent_app"}],
                }
            }
        },
    }


def sandbox_settings(
    *,
    app_id: str,
    domain: str,
    clusters: Mapping[str, str],
    services: Mapping[str, Any],
    workdir: Path,
    keys: SandboxSecrets,
    lang: str,
) -> Settings:
    config = workdir / "cloudops.yaml"
    config.write_text(yaml.safe_dump(_config(services, clusters)), encoding="utf-8")
    environ = {
        **{name: os.environ[name] for name in PASSED_THROUGH if os.environ.get(name)},
        "FEISHU_APP_ID": app_id,
        "FEISHU_APP_SECRET": keys.app_secret,
        "FEISHU_ENCRYPT_KEY": keys.encrypt_key,
        "FEISHU_VERIFICATION_TOKEN": keys.verification_token,
        "FEISHU_DOMAIN": domain,
        "FEISHU_TRANSPORT": "webhook",
        "PROMETHEUS_URL": next(iter(clusters.values())),
        "CLOUDOPS_CONFIG": str(config),
        "CLOUDOPS_DATA_DIR": str(workdir),
        "CLOUDOPS_API_TOKEN": keys.api_token,
        "ALERTMANAGER_WEBHOOK_TOKEN": keys.alert_token,
        "CLOUDOPS_LANGUAGE": lang,
        "DATABASE_URL": f"sqlite:///{workdir / 'cloudops.db'}",
    }
    return load_settings(environ)
