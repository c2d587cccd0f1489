"""Settings: YAML defaults, an optional YAML file, and the environment, in rising priority.

Non-secret configuration (approvers, services, routes) lives in YAML; secrets come only
from the environment. ``Settings.secret_names()`` lists the fields never to print.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, Field, SecretStr, StrictBool, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "Settings",
    "ConfigError",
    "load_settings",
    "Approver",
    "ApprovalSettings",
    "AccessGrant",
    "AccessSettings",
    "OncallSettings",
    "OncallTeam",
    "EscalationStep",
    "GrafanaSettings",
]

DEFAULTS_FILE = Path(__file__).with_name("defaults.yaml")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Environment variables whose values are secrets (LLM_API_KEY, TAVILY_API_KEY, ...).
SECRET_ENV = re.compile(r"(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|ENCRYPT_KEY|_KEY$)", re.I)


class ConfigError(ValueError):
    """A wrong or missing setting; the message names it and never contains its value."""


class Approver(BaseModel):
    open_id: str | None = None
    chat_id: str | None = None
    namespaces: list[str] = Field(default_factory=list)


class ApprovalSettings(BaseModel):
    ttl_minutes: int = Field(30, ge=1, le=24 * 60)
    # An approved plan still "applying" this long after its approval is marked interrupted
    # (the bot died mid-apply); never less than twice the rollout watch.
    interrupt_after_minutes: int = Field(15, ge=1, le=24 * 60)
    approvers: list[Approver] = Field(default_factory=list)
    # Four-eyes: the person who proposed a plan may not approve it.
    require_second_person: bool = False


class AccessGrant(BaseModel):
    """A role for the people, chats or departments listed, in some namespaces (and clusters)."""

    role: Literal["viewer", "operator", "approver", "admin"]
    open_ids: list[str] = Field(default_factory=list)
    chat_ids: list[str] = Field(default_factory=list)
    department_ids: list[str] = Field(default_factory=list)
    namespaces: list[str] = Field(default_factory=lambda: ["*"])
    clusters: list[str] = Field(default_factory=lambda: ["*"])


class AccessSettings(BaseModel):
    """Who may read and change what (docs/access.md). Absent: reads are open to every chat
    and state changes follow ``approvals.approvers``."""

    reads: Literal["members", "everyone"] = "members"
    grants: list[AccessGrant] = Field(default_factory=list)


class EscalationStep(BaseModel):
    """One step while a firing alert stays unclaimed (docs/incidents.md)."""

    after_minutes: int = Field(ge=0, le=7 * 24 * 60)
    via: Literal["urgent_app", "urgent_sms", "urgent_phone"]
    to: Literal["current", "next"] | list[str] = "current"


class OncallTeam(BaseModel):
    """A rota: ``members`` take turns, handing over at ``handover`` local time."""

    members: list[str] = Field(min_length=1)
    rotation: Literal["daily", "weekly"] = "weekly"
    handover: str = Field("10:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    timezone: str = "Asia/Shanghai"
    start: date | None = None  # the rota's first shift (default 1970-01-05, a Monday)
    escalation: list[EscalationStep] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}") from None
        return value


class OncallSettings(BaseModel):
    teams: dict[str, OncallTeam] = Field(default_factory=dict)
    # How often the leader looks for escalation steps that are due.
    tick_seconds: int = Field(30, ge=1, le=600)


class FeishuSettings(BaseModel):
    domain: str = "https://open.feishu.cn"
    transport: Literal["webhook", "longconn"] = "webhook"
    replay_window_seconds: int = Field(300, ge=10, le=3600)
    # Webhook mode without FEISHU_ENCRYPT_KEY (unsigned deliveries): refused at start
    # unless set to exactly `true`.
    allow_unsigned: StrictBool = False
    dedupe_hours: int = Field(24, ge=12)
    watchdog_seconds: int = Field(300, ge=5)

    @field_validator("domain")
    @classmethod
    def _domain_is_https_or_loopback(cls, value: str) -> str:
        url = urlparse(value)
        if url.scheme == "https" and url.hostname:
            return value.rstrip("/")
        if url.scheme == "http" and url.hostname in LOOPBACK_HOSTS and url.path in ("", "/"):
            return value.rstrip("/")
        raise ValueError("must be https://..., or http://127.0.0.1:PORT for a local fake")


class RuntimeSettings(BaseModel):
    workers: int = Field(8, ge=1, le=256)
    queue_size: int = Field(1000, ge=1)
    chat_qps: float = Field(5, gt=0)
    timezone: str = "Asia/Shanghai"
    # A command whose replica died is answered again by any replica once its lease (kept
    # alive by the worker) runs out; replicas look for such commands this often.
    resume_lease_seconds: float = Field(60, gt=0)
    resume_scan_seconds: float = Field(30, gt=0)


class ServerSettings(BaseModel):
    # Every HTTP request body is refused with 413 above this size, before it is read.
    max_body_bytes: int = Field(65536, ge=1024, le=16 * 1024 * 1024)
    # Paths that need more (Alertmanager groups many alerts in one authenticated post).
    max_body_bytes_by_path: dict[str, int] = Field(
        default_factory=lambda: {"/alertmanager": 2 * 1024 * 1024}
    )
    # Deeper JSON is refused with 400 before it is parsed.
    max_json_depth: int = Field(64, ge=4, le=512)
    # When set, `cloudops serve` also listens here and serves /alertmanager only on this
    # port (an in-cluster Service port the Ingress does not reference).
    internal_port: int | None = Field(None, ge=1, le=65535)


class PrometheusSettings(BaseModel):
    url: str = "http://127.0.0.1:9090"
    timeout_seconds: float = 10
    services: dict[str, dict[str, Any]] = Field(default_factory=dict)
    signals: list[dict[str, Any]] | None = None


class GrafanaSettings(BaseModel):
    """Grafana links on alert and RCA cards: ``GRAFANA_URL`` (or ``url``) and a dashboard
    per service (a uid, a path below the URL, or a whole URL); ``default_dashboard`` for
    services not listed. No dashboard: no Grafana link."""

    url: str | None = None
    dashboards: dict[str, str] = Field(default_factory=dict)
    default_dashboard: str | None = None

    def dashboard_for(self, service: str | None) -> str | None:
        found = self.dashboards.get(service) if service else None
        return found or self.default_dashboard


class DoctorSettings(BaseModel):
    """``cloudops doctor``: per-check timeouts and how far back metrics must exist."""

    timeout_seconds: float = Field(10, gt=0, le=120)
    startup_timeout_seconds: float = Field(3, gt=0, le=60)
    lookback: str = Field("1h", pattern=r"^\d+[smhd]$")


class LogsSettings(BaseModel):
    """/logs: how much of a log tail reaches chat, and the Loki query's bounds."""

    max_lines: int = Field(60, ge=5, le=500)
    max_bytes: int = Field(6000, ge=500, le=20000)
    tail_lines: int = Field(500, ge=10, le=5000)
    loki_limit: int = Field(1000, ge=10, le=5000)
    loki_timeout_seconds: float = Field(10, gt=0)


class Settings(BaseSettings):
    """Every setting of the bot. Environment variables use the names in the README."""

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    feishu_app_id: str | None = None
    feishu_app_secret: SecretStr | None = None
    feishu_verification_token: SecretStr | None = None
    feishu_encrypt_key: SecretStr | None = None
    feishu_domain: str | None = None
    feishu_transport: Literal["webhook", "longconn"] | None = None
    cloudops_config: Path | None = None
    cloudops_data_dir: Path | None = None
    cloudops_api_token: SecretStr | None = None
    cloudops_language: Literal["zh-CN", "en-US"] | None = None
    database_url: str | None = None
    redis_url: SecretStr | None = None
    prometheus_url: str | None = None
    prometheus_token: SecretStr | None = None
    prometheus_username: str | None = None
    prometheus_password: SecretStr | None = None
    loki_url: str | None = None  # LOKI_URL: /logs reads Loki instead of the Kubernetes API
    grafana_url: str | None = None  # GRAFANA_URL: the Grafana links of alert and RCA cards

    # Merged YAML sections (defaults < CLOUDOPS_CONFIG file); the flat env values above win.
    language: Literal["zh-CN", "en-US"] = "zh-CN"
    data_dir: Path = Path("./var")
    feishu: FeishuSettings = Field(default_factory=FeishuSettings)
    runtime: RuntimeSettings = Field(default_factory=RuntimeSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    prometheus: PrometheusSettings = Field(default_factory=PrometheusSettings)
    approvals: ApprovalSettings = Field(default_factory=ApprovalSettings)
    access: AccessSettings | None = None
    doctor: DoctorSettings = Field(default_factory=DoctorSettings)
    logs: LogsSettings = Field(default_factory=LogsSettings)
    oncall: OncallSettings = Field(default_factory=OncallSettings)
    grafana: GrafanaSettings = Field(default_factory=GrafanaSettings)
    extra: dict[str, Any] = Field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.cloudops_language or self.language

    @property
    def domain(self) -> str:
        return self.feishu_domain or self.feishu.domain

    @property
    def transport(self) -> str:
        return self.feishu_transport or self.feishu.transport

    @property
    def data_path(self) -> Path:
        return self.cloudops_data_dir or self.data_dir

    @property
    def db_url(self) -> str:
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            return url
        return f"sqlite:///{(self.data_path / 'cloudops.db').resolve()}"

    @property
    def prometheus_base_url(self) -> str:
        return self.prometheus_url or self.prometheus.url

    @property
    def grafana_base_url(self) -> str | None:
        return self.grafana_url or self.grafana.url

    @property
    def has_feishu_credentials(self) -> bool:
        return bool(self.feishu_app_id or self.feishu_app_secret)

    def secret(self, name: str) -> str:
        value = getattr(self, name)
        return value.get_secret_value() if isinstance(value, SecretStr) else (value or "")

    def require_feishu(self) -> None:
        """Fail with one line naming the first missing or wrong Feishu setting."""
        if not self.feishu_app_id:
            raise ConfigError("FEISHU_APP_ID is not set")
        if not self.feishu_app_secret:
            raise ConfigError("FEISHU_APP_SECRET is not set")
        if self.transport == "webhook" and not (
            self.feishu_verification_token or self.feishu_encrypt_key
        ):
            raise ConfigError(
                "FEISHU_VERIFICATION_TOKEN is not set (webhook mode needs it to verify events)"
            )
        try:
            FeishuSettings(domain=self.domain)
        except ValidationError:
            raise ConfigError(
                "FEISHU_DOMAIN must be https://..., or http://127.0.0.1:PORT for a local fake"
            ) from None
        self.require_signed()

    def require_signed(self) -> None:
        """Webhook mode verifies signatures: the encrypt key is required unless the operator
        opted out with ``feishu.allow_unsigned: true``."""
        unsigned = self.transport == "webhook" and not self.feishu_encrypt_key
        if unsigned and not self.feishu.allow_unsigned:
            raise ConfigError(
                "FEISHU_ENCRYPT_KEY is not set (webhook mode needs it to verify signed "
                "events; feishu.allow_unsigned: true accepts unsigned ones)"
            )

    def secret_values(self, environ: Mapping[str, str] | None = None) -> list[str]:
        """Values to mask in every error and log: the secret settings, the passwords inside
        URLs, and every environment variable whose name says it is secret."""
        env = os.environ if environ is None else environ
        values = [
            self.secret(name)
            for name, field in type(self).model_fields.items()
            if field.annotation == SecretStr | None
        ]
        for url in (self.database_url, self.secret("redis_url"), self.prometheus_base_url):
            password = urlparse(url or "").password
            values.append(password or "")
        values.extend(v for k, v in env.items() if SECRET_ENV.search(k))
        return [v for v in values if v]


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_yaml(path: Path, name: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"{name} points to a missing file: {path}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name} is not valid YAML: {path} ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name} must hold a YAML mapping: {path}")
    return data


_FLAT = {
    name
    for name in Settings.model_fields
    if name.startswith(("feishu_", "cloudops_", "prometheus_")) or name.endswith("_url")
}
SECTIONS = set(Settings.model_fields) - _FLAT - {"extra"}


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults.yaml, the CLOUDOPS_CONFIG file and the environment.

    Only the documented upper-case names are read from the environment (``FEISHU_APP_ID``
    ...), so unrelated variables such as ``LANGUAGE`` cannot leak in.
    """
    env = os.environ if environ is None else environ
    data = _read_yaml(DEFAULTS_FILE, "defaults.yaml")
    config_path = env.get("CLOUDOPS_CONFIG")
    if config_path:
        data = _deep_merge(data, _read_yaml(Path(config_path), "CLOUDOPS_CONFIG"))
    values: dict[str, Any] = {k: v for k, v in data.items() if k in SECTIONS}
    values["extra"] = {k: v for k, v in data.items() if k not in SECTIONS}
    values.update({name: env[name.upper()] for name in _FLAT if env.get(name.upper())})
    values.update(overrides)
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        name = where.upper() if where in _FLAT else where
        raise ConfigError(f"{name}: {first['msg']}") from None
