"""The typed YAML sections. Their defaults are in ``defaults.yaml`` (see ``config.defaults``).

Models of list or mapping entries (an approver, a route, a rota) are not sections: the
defaults of an entry's optional keys are declared on the entry's model, once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from config.defaults import Section, section_defaults

__all__ = [
    "LOOPBACK_HOSTS",
    "AccessGrant",
    "AccessSettings",
    "AlertRoute",
    "AlertsSettings",
    "ApprovalSettings",
    "Approver",
    "AssistantSettings",
    "CLUSTER_NAME",
    "ClusterEntry",
    "ClusterSettings",
    "DoctorSettings",
    "EscalationStep",
    "FanoutSettings",
    "FeishuSettings",
    "FixesSettings",
    "ForecastService",
    "ForecastSettings",
    "KnowledgeSettings",
    "LlmSettings",
    "LogsSettings",
    "OncallSettings",
    "OncallTeam",
    "PrometheusEndpoint",
    "PrometheusSettings",
    "RedisSettings",
    "RuntimeSettings",
    "ScansSettings",
    "SchedulerSettings",
    "ServerSettings",
]

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


class FeishuSettings(Section):
    section = "feishu"

    domain: str
    transport: Literal["webhook", "longconn"]
    replay_window_seconds: int = Field(ge=10, le=3600)
    # Webhook mode without FEISHU_ENCRYPT_KEY (unsigned deliveries): refused at start
    # unless set to exactly `true`.
    allow_unsigned: StrictBool
    dedupe_hours: int = Field(ge=12)
    watchdog_seconds: int = Field(ge=5)

    @field_validator("domain")
    @classmethod
    def _domain_is_https_or_loopback(cls, value: str) -> str:
        url = urlparse(value)
        if url.scheme == "https" and url.hostname:
            return value.rstrip("/")
        if url.scheme == "http" and url.hostname in LOOPBACK_HOSTS and url.path in ("", "/"):
            return value.rstrip("/")
        raise ValueError("must be https://..., or http://127.0.0.1:PORT for a local fake")


class RuntimeSettings(Section):
    section = "runtime"

    workers: int = Field(ge=1, le=256)
    queue_size: int = Field(ge=1)
    chat_qps: float = Field(gt=0)
    timezone: str
    # A command whose replica died is answered again by any replica once its lease (kept
    # alive by the worker) runs out; replicas look for such commands this often.
    resume_lease_seconds: float = Field(gt=0)
    resume_scan_seconds: float = Field(gt=0)


class ServerSettings(Section):
    section = "server"

    # Every HTTP request body is refused with 413 above this size, before it is read.
    max_body_bytes: int = Field(ge=1024, le=16 * 1024 * 1024)
    # Paths that need more (Alertmanager groups many alerts in one authenticated post).
    max_body_bytes_by_path: dict[str, int]
    # Deeper JSON is refused with 400 before it is parsed.
    max_json_depth: int = Field(ge=4, le=512)
    # When set, `cloudops serve` also listens here and serves /alertmanager only on this
    # port (an in-cluster Service port the Ingress does not reference).
    internal_port: int | None = Field(ge=1, le=65535)


class PrometheusSettings(Section):
    section = "prometheus"

    url: str
    timeout_seconds: float
    services: dict[str, dict[str, Any]]
    signals: list[dict[str, Any]] | None


class Approver(BaseModel):
    open_id: str | None = None
    chat_id: str | None = None
    namespaces: list[str] = Field(default_factory=list)
    clusters: list[str] = Field(default_factory=lambda: ["*"])


class ApprovalSettings(Section):
    section = "approvals"

    ttl_minutes: int = Field(ge=1, le=24 * 60)
    # An approved plan still "applying" this long after its approval is marked interrupted
    # (the bot died mid-apply); never less than twice the rollout watch.
    interrupt_after_minutes: int = Field(ge=1, le=24 * 60)
    approvers: list[Approver]
    # Four-eyes: the person who proposed a plan may not approve it.
    require_second_person: bool


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
    and state changes follow ``approvals.approvers``. Not in ``defaults.yaml``: its absence
    means something, so its keys' defaults are declared here, like an entry's."""

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


class OncallSettings(Section):
    section = "oncall"

    teams: dict[str, OncallTeam]
    # How often the leader looks for escalation steps that are due.
    tick_seconds: int = Field(ge=1, le=600)


class IncidentSettings(Section):
    """War-room groups (docs/incidents.md): ``responders`` (open_ids) join every one."""

    section = "incidents"

    responders: list[str]


class GrafanaSettings(Section):
    """Grafana links on alert and RCA cards: ``GRAFANA_URL`` (or ``url``) and a dashboard
    per service (a uid, a path below the URL, or a whole URL); ``default_dashboard`` for
    services not listed. No dashboard: no Grafana link."""

    section = "grafana"

    url: str | None
    dashboards: dict[str, str]
    default_dashboard: str | None

    def dashboard_for(self, service: str | None) -> str | None:
        found = self.dashboards.get(service) if service else None
        return found or self.default_dashboard


class DoctorSettings(Section):
    """``cloudops doctor``: per-check timeouts and how far back metrics must exist."""

    section = "doctor"

    timeout_seconds: float = Field(gt=0, le=120)
    startup_timeout_seconds: float = Field(gt=0, le=60)
    lookback: str = Field(pattern=r"^\d+[smhd]$")


class LogsSettings(Section):
    """/logs: how much of a log tail reaches chat, and the Loki query's bounds."""

    section = "logs"

    max_lines: int = Field(ge=5, le=500)
    max_bytes: int = Field(ge=500, le=20000)
    tail_lines: int = Field(ge=10, le=5000)
    loki_limit: int = Field(ge=10, le=5000)
    loki_timeout_seconds: float = Field(gt=0)


class FixesSettings(Section):
    """Applying approved plans: the rollout watch and the replica bounds of any plan."""

    section = "fixes"

    watch_timeout_seconds: float
    poll_seconds: float
    min_replicas: int
    max_replicas: int


class ClusterSettings(Section):
    """The Kubernetes cluster: a kubeconfig (and context), else the in-cluster account."""

    section = "cluster"

    enabled: bool
    kubeconfig: str | None
    context: str | None
    request_timeout_seconds: float
    # A ready ``kubernetes.client.ApiClient`` set in code (tests, the sandbox): never YAML.
    api_client: Any = Field(default=None, exclude=True, repr=False)


CLUSTER_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class PrometheusEndpoint(BaseModel):
    """A cluster's Prometheus: the URL, and the names of the environment variables that
    hold its credentials (secrets never live in YAML)."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1)
    token_env: str | None = Field(default=None, pattern=ENV_NAME.pattern)
    username_env: str | None = Field(default=None, pattern=ENV_NAME.pattern)
    password_env: str | None = Field(default=None, pattern=ENV_NAME.pattern)
    timeout_seconds: float | None = Field(default=None, gt=0, le=300)


class ClusterEntry(BaseModel):
    """One entry of ``clusters:`` (docs/clusters.md). How to reach the API server: a
    ``kubeconfig_context`` (of ``kubeconfig`` or $KUBECONFIG), ``in_cluster: true``, or
    ``api_server`` with the bearer token in the environment variable ``token_env``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=CLUSTER_NAME.pattern)
    kubeconfig: str | None = None
    kubeconfig_context: str | None = None
    in_cluster: bool = False
    api_server: str | None = None
    token_env: str | None = Field(default=None, pattern=ENV_NAME.pattern)
    ca_file: str | None = None
    insecure_skip_tls_verify: bool = False
    prometheus: PrometheusEndpoint | None = None
    alertmanager_url: str | None = None
    grafana_url: str | None = None
    timezone: str | None = None
    # A ready ``kubernetes.client.ApiClient`` set in code (tests, the sandbox): never YAML.
    api_client: Any = Field(default=None, exclude=True, repr=False)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _one_way_in(self) -> ClusterEntry:
        ways = [self.in_cluster, self.api_server is not None, self.kubeconfig_context is not None]
        if sum(ways) > 1:
            raise ValueError(
                f"cluster {self.name!r}: give one of kubeconfig_context, in_cluster, api_server"
            )
        if self.api_server is not None and self.token_env is None:
            raise ValueError(f"cluster {self.name!r}: api_server needs token_env")
        return self


class FanoutSettings(Section):
    """Reads over every cluster (``--clusters all``): each cluster has this long."""

    section = "fanout"

    timeout_seconds: float = Field(gt=0, le=120)


class AlertRoute(BaseModel):
    """One entry of ``alerts.routes``: labels equal (``match``) and matching in full
    (``match_re``) send an alert to ``chat_id``; ``team`` is the on-call team answering."""

    model_config = ConfigDict(coerce_numbers_to_str=True)

    chat_id: str = Field(min_length=1)
    match: dict[str, str] = Field(default_factory=dict)
    match_re: dict[str, str] = Field(default_factory=dict)
    team: str | None = None

    @field_validator("match", "match_re", mode="before")
    @classmethod
    def _labels_as_text(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, Mapping):
            return {str(k): str(v) for k, v in value.items()}
        return value

    @field_validator("match_re")
    @classmethod
    def _patterns_compile(cls, value: dict[str, str]) -> dict[str, str]:
        for label, pattern in value.items():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"match_re.{label} is not a regex: {exc}") from None
        return value


class AlertsSettings(Section):
    section = "alerts"

    routes: list[AlertRoute]
    default_chat_id: str | None
    # The label that names an alert's cluster (else the path /alertmanager/{cluster},
    # else the default cluster).
    cluster_label: str = Field(min_length=1)


class ScansSettings(Section):
    """Anomaly scans of ``services`` (off while the list is empty)."""

    section = "scans"
    model_config = ConfigDict(coerce_numbers_to_str=True)

    every: str
    services: list[str]
    window: str
    threshold: float
    cooldown: str
    chat_id: str | None


class SchedulerSettings(Section):
    """The leader-locked scheduler of digests, scans and housekeeping."""

    section = "scheduler"

    lease_seconds: float
    grace_seconds: float
    housekeeping_seconds: float
    tick_seconds: float


class ForecastService(BaseModel):
    """One entry of ``forecast.services``; the namespace defaults to the service's one."""

    namespace: str | None = None
    deployment: str | None = None
    query: str | None = None  # PromQL of the request rate, instead of the catalogue's
    per_pod_capacity: float | None = None
    min_replicas: int = 1
    max_replicas: int = 50
    headroom: float = 0.2


class ForecastSettings(Section):
    section = "forecast"

    services: dict[str, ForecastService]


class AssistantSettings(Section):
    """The private-chat assistant's conversation memory."""

    section = "assistant"

    session_idle_minutes: float
    session_token_budget: int
    session_max_turns: int


class KnowledgeSettings(Section):
    section = "knowledge"

    uploaders: list[str]  # operators of the runbooks (/kb add, /kb refresh)


class LlmSettings(Section):
    """The model endpoint(s) in YAML; the ``LLM_*`` environment variables win
    (``agents.config``). ``fallbacks`` entries name their key's variable in ``api_key_env``."""

    section = "llm"

    base_url: str | None
    model: str | None
    timeout: float = Field(ge=0.1, le=600)
    max_retries: int = Field(ge=0, le=10)
    # What the model can do (AutoGen needs it for model names OpenAI does not know).
    function_calling: bool
    json_output: bool
    vision: bool
    structured_output: bool
    family: str
    fallbacks: list[dict[str, Any]]


class RedisSettings(Section):
    """Scale-out keys live under ``key_prefix`` (REDIS_URL names the server)."""

    section = "redis"

    key_prefix: str

    @field_validator("key_prefix", mode="before")
    @classmethod
    def _empty_means_default(cls, value: Any) -> Any:
        return value or section_defaults(cls.section)["key_prefix"]
