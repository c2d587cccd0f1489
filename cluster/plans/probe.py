"""PatchProbe: change a readiness or liveness probe's HTTP target or timing."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Literal

from cluster.errors import PlanError
from cluster.plans.base import (
    Patch,
    RenderContext,
    find_container,
    refuse_unknown,
    require_int,
    require_str,
    template_patch,
)

__all__ = ["PatchProbe", "ProbeKind", "PROBE_KINDS"]

ProbeKind = Literal["readiness", "liveness"]
PROBE_KINDS: tuple[ProbeKind, ...] = ("readiness", "liveness")

_PATH = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,199}$")
_FIELDS = {  # operation field → (probe field, low, high)
    "period": ("periodSeconds", 1, 300),
    "timeout": ("timeoutSeconds", 1, 60),
    "failure_threshold": ("failureThreshold", 1, 30),
    "initial_delay": ("initialDelaySeconds", 0, 600),
}
_OTHER_HANDLERS = ("tcpSocket", "exec", "grpc")


@dataclass(frozen=True)
class PatchProbe:
    op: ClassVar[str] = "patch_probe"
    changes_template: ClassVar[bool] = True

    container: str
    kind: ProbeKind
    path: str | None = None
    port: int | None = None
    period: int | None = None
    timeout: int | None = None
    failure_threshold: int | None = None
    initial_delay: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("readiness", "liveness"):
            raise PlanError(f"probe kind must be readiness or liveness, got {self.kind!r}")
        if self.path is not None and not _PATH.match(self.path):
            raise PlanError(f"probe path must be an absolute URL path, got {self.path!r}")
        require_int(asdict(self), "port", 1, 65535)
        for name, (_, low, high) in _FIELDS.items():
            require_int(asdict(self), name, low, high)
        if all(getattr(self, f) is None for f in ("path", "port", *_FIELDS)):
            raise PlanError("patch_probe changes nothing: give a path, port or timing")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PatchProbe:
        refuse_unknown(data, {"container", "kind", "path", "port", *_FIELDS}, cls.op)
        kind = require_str(data, "kind")
        if kind not in ("readiness", "liveness"):
            raise PlanError(f"probe kind must be readiness or liveness, got {kind!r}")
        numbers = {k: require_int(data, k, -(2**31), 2**31) for k in ("port", *_FIELDS)}
        return cls(
            container=str(require_str(data, "container")),
            kind="readiness" if kind == "readiness" else "liveness",
            path=require_str(data, "path", optional=True),
            **numbers,
        )

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, **{k: v for k, v in asdict(self).items() if v is not None}}

    def render(self, context: RenderContext) -> Patch:
        container = find_container(context, self.container)
        field = f"{self.kind}Probe"
        current = container.get(field) or {}
        probe: dict[str, Any] = {}
        if self.path is not None or self.port is not None:
            handler = dict(current.get("httpGet") or {})
            if not handler and (self.path is None or self.port is None):
                raise PlanError(
                    f"{self.container} has no HTTP {self.kind} probe: give path and port"
                )
            if self.path is not None:
                handler["path"] = self.path
            if self.port is not None:
                handler["port"] = self.port
            probe["httpGet"] = {k: handler[k] for k in ("path", "port") if k in handler}
            probe.update({other: None for other in _OTHER_HANDLERS if other in current})
        elif not current:
            raise PlanError(f"{self.container} has no {self.kind} probe to retime")
        for name, (probe_field, _, _) in _FIELDS.items():
            if getattr(self, name) is not None:
                probe[probe_field] = getattr(self, name)
        return Patch("strategic", template_patch(self.container, {field: probe}))
