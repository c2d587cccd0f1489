"""The uniform result of every diagnosis rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from cluster.plans import FixPlan
from cluster.redaction import redact

__all__ = ["Finding", "Severity", "SEVERITIES"]

Severity = Literal["critical", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """``object`` is ``namespace/Kind/name``; ``problem`` a stable code (``oom_killed``)."""

    object: str
    problem: str
    evidence: dict[str, str]
    severity: Severity
    container: str | None = None
    plan: FixPlan | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")
        if self.object.count("/") != 2:
            raise ValueError(f"object must look like namespace/Kind/name, got {self.object!r}")
        reserved = {"key", "lang"} & set(self.evidence)  # t(key, lang, **evidence)
        if reserved:
            raise ValueError(f"evidence may not use the reserved names {sorted(reserved)}")
        # Evidence reaches chat and LLMs: mask anything that looks like a secret.
        clean = {str(k): redact(str(v)) for k, v in self.evidence.items()}
        object.__setattr__(self, "evidence", clean)

    def to_dict(self) -> dict[str, Any]:
        return {
            "object": self.object,
            "problem": self.problem,
            "evidence": dict(self.evidence),
            "severity": self.severity,
            "container": self.container,
            "plan": self.plan.to_dict() if self.plan else None,
        }
