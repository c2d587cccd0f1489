"""Settings: YAML defaults, an optional YAML file, and the environment, in rising priority.

Non-secret configuration (approvers, services, routes) lives in YAML; secrets come only
from the environment. ``Settings.secret_names()`` lists the fields never to print.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import yaml
from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from config.defaults import DEFAULTS_FILE, defaults
from config.sections import (
    AccessGrant,
    AccessSettings,
    AlertsSettings,
    ApprovalSettings,
    Approver,
    AssistantSettings,
    ClusterEntry,
    ClusterSettings,
    DoctorSettings,
    EscalationStep,
    FanoutSettings,
    FeishuSettings,
    FixesSettings,
    ForecastSettings,
    GrafanaSettings,
    IncidentSettings,
    KnowledgeSettings,
    LlmSettings,
    LogsSettings,
    OncallSettings,
    OncallTeam,
    PrometheusEndpoint,
    PrometheusSettings,
    RedisSettings,
    RuntimeSettings,
    ScansSettings,
    SchedulerSettings,
    ServerSettings,
)

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
    "SECTIONS",
    "AlertsSettings",
    "AssistantSettings",
    "ClusterEntry",
    "ClusterSettings",
    "DEFAULT_CLUSTER",
    "FanoutSettings",
    "PrometheusEndpoint",
    "DoctorSettings",
    "FeishuSettings",
    "FixesSettings",
    "GrafanaSettings",
    "IncidentSettings",
    "ForecastSettings",
    "KnowledgeSettings",
    "LlmSettings",
    "LogsSettings",
    "PrometheusSettings",
    "RedisSettings",
    "RuntimeSettings",
    "ScansSettings",
    "SchedulerSettings",
    "ServerSettings",
]

# Environment variables whose values are secrets (LLM_API_KEY, TAVILY_API_KEY, ...).
SECRET_ENV = re.compile(r"(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|ENCRYPT_KEY|_KEY$)", re.I)


DEFAULT_CLUSTER = "default"  # the one cluster of a configuration without ``clusters:``


class ConfigError(ValueError):
    """A wrong or missing setting; the message names it and never contains its value."""


class Settings(BaseSettings):
    """Every setting of the bot. Environment variables use the names in the README."""

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    # Flat values from the environment, under the upper-case names (FEISHU_APP_ID, ...).
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
    alertmanager_url: str | None = None  # Silence buttons, /alerts and /silences
    alertmanager_webhook_token: SecretStr | None = None  # bearer of POST /alertmanager
    tavily_api_key: SecretStr | None = None  # web search (research, "Search the web")
    cloudops_knowledge_dir: Path | None = None  # runbooks (default: the packaged starter ones)
    embeddings_base_url: str | None = None  # dense retrieval through /v1/embeddings
    embeddings_api_key: SecretStr | None = None
    embeddings_model: str | None = None
    weaviate_url: str | None = None  # Weaviate instead of the embedded index
    weaviate_api_key: SecretStr | None = None
    # The model endpoint; raw text, parsed (and named when wrong) by agents.config. They
    # win over the YAML section ``llm``.
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout: str | None = None
    llm_max_retries: str | None = None
    llm_fallbacks: SecretStr | None = None  # JSON; its entries may hold keys
    llm_function_calling: str | None = None
    llm_json_output: str | None = None
    llm_vision: str | None = None
    llm_structured_output: str | None = None
    llm_family: str | None = None

    # Merged YAML sections (defaults.yaml < CLOUDOPS_CONFIG file); the flat values above win.
    language: Literal["zh-CN", "en-US"] = Field(default_factory=lambda: defaults()["language"])
    data_dir: Path = Field(default_factory=lambda: Path(defaults()["data_dir"]))
    feishu: FeishuSettings = Field(default_factory=FeishuSettings.default)
    runtime: RuntimeSettings = Field(default_factory=RuntimeSettings.default)
    server: ServerSettings = Field(default_factory=ServerSettings.default)
    prometheus: PrometheusSettings = Field(default_factory=PrometheusSettings.default)
    approvals: ApprovalSettings = Field(default_factory=ApprovalSettings.default)
    access: AccessSettings | None = None  # absent: reads open, changes follow approvers
    doctor: DoctorSettings = Field(default_factory=DoctorSettings.default)
    logs: LogsSettings = Field(default_factory=LogsSettings.default)
    oncall: OncallSettings = Field(default_factory=OncallSettings.default)
    fixes: FixesSettings = Field(default_factory=FixesSettings.default)
    cluster: ClusterSettings = Field(default_factory=ClusterSettings.default)
    alerts: AlertsSettings = Field(default_factory=AlertsSettings.default)
    scans: ScansSettings = Field(default_factory=ScansSettings.default)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings.default)
    forecast: ForecastSettings = Field(default_factory=ForecastSettings.default)
    assistant: AssistantSettings = Field(default_factory=AssistantSettings.default)
    knowledge: KnowledgeSettings = Field(default_factory=KnowledgeSettings.default)
    llm: LlmSettings = Field(default_factory=LlmSettings.default)
    redis: RedisSettings = Field(default_factory=RedisSettings.default)
    incidents: IncidentSettings = Field(default_factory=IncidentSettings.default)
    grafana: GrafanaSettings = Field(default_factory=GrafanaSettings.default)
    clusters: list[ClusterEntry] = Field(default_factory=lambda: defaults()["clusters"])
    default_cluster: str | None = Field(default_factory=lambda: defaults()["default_cluster"])
    fanout: FanoutSettings = Field(default_factory=FanoutSettings.default)

    @model_validator(mode="after")
    def _clusters_named_once(self) -> Settings:
        names = [c.name for c in self.clusters]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"clusters: {twice[0]!r} is named twice")
        known = names or [DEFAULT_CLUSTER]
        if self.default_cluster is not None and self.default_cluster not in known:
            raise ValueError(f"default_cluster {self.default_cluster!r} is not in clusters")
        return self

    @property
    def multi_cluster(self) -> bool:
        """True when ``clusters:`` is configured: cards then name their cluster."""
        return bool(self.clusters)

    @property
    def cluster_names(self) -> list[str]:
        return [c.name for c in self.clusters] or [DEFAULT_CLUSTER]

    @property
    def home_cluster(self) -> str:
        """The cluster of chats not bound with ``/cluster use``."""
        return self.default_cluster or self.cluster_names[0]

    def home_entry(self) -> ClusterEntry:
        """The entry of the home cluster (``default_cluster``, else the first)."""
        home = self.home_cluster
        return next(e for e in self.cluster_entries() if e.name == home)

    def in_timezone(self, timezone: str | None) -> Settings:
        """These settings with ``runtime.timezone`` set to ``timezone`` (a cluster's own),
        or unchanged for None."""
        if not timezone or timezone == self.runtime.timezone:
            return self
        runtime = self.runtime.model_copy(update={"timezone": timezone})
        return self.model_copy(update={"runtime": runtime})

    def cluster_entries(self) -> list[ClusterEntry]:
        """``clusters:``, or the single cluster of the older sections as ``default``."""
        if self.clusters:
            return list(self.clusters)
        legacy = self.cluster
        return [
            ClusterEntry(
                name=DEFAULT_CLUSTER,
                kubeconfig=legacy.kubeconfig,
                kubeconfig_context=legacy.context,
                prometheus=PrometheusEndpoint(url=self.prometheus_base_url),
                alertmanager_url=(self.alertmanager_url or "").strip() or None,
                grafana_url=self.grafana_base_url,
                api_client=legacy.api_client,
            )
        ]

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
            FeishuSettings.model_validate({"domain": self.domain})
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


# The keys a CLOUDOPS_CONFIG file may hold; every other field is a flat environment value.
SECTIONS = set(defaults()) | {"access"}
_FLAT = set(Settings.model_fields) - SECTIONS


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults.yaml, the CLOUDOPS_CONFIG file and the environment.

    Only the documented upper-case names are read from the environment (``FEISHU_APP_ID``
    ...), so unrelated variables such as ``LANGUAGE`` cannot leak in.
    """
    env = os.environ if environ is None else environ
    data = _read_yaml(DEFAULTS_FILE, "defaults.yaml")  # not defaults(): a broken file is named
    config_path = env.get("CLOUDOPS_CONFIG")
    if config_path:
        data = _deep_merge(data, _read_yaml(Path(config_path), "CLOUDOPS_CONFIG"))
    unknown = sorted(str(key) for key in set(data) - SECTIONS)
    if unknown:
        raise ConfigError(f"CLOUDOPS_CONFIG: unknown section {unknown[0]!r}")
    values: dict[str, Any] = dict(data)
    values.update({name: env[name.upper()] for name in _FLAT if env.get(name.upper())})
    values.update(overrides)
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        name = where.upper() if where in _FLAT else where
        raise ConfigError(f"{name}: {first['msg']}") from None
