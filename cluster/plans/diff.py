"""Human-readable before → after lines between two versions of a Deployment's spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster.patching import MERGE_KEYS

__all__ = ["DiffLine", "diff_specs", "render_diff"]

ABSENT = "∅"


@dataclass(frozen=True)
class DiffLine:
    path: str
    before: str | None
    after: str | None

    def __str__(self) -> str:
        before = ABSENT if self.before is None else self.before
        after = ABSENT if self.after is None else self.after
        return f"{self.path}: {before} → {after}"

    def to_dict(self) -> dict[str, str | None]:
        return {"path": self.path, "before": self.before, "after": self.after}


def _flatten(value: Any, path: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key in sorted(value):
            _flatten(value[key], f"{path}.{key}" if path else key, out)
    elif isinstance(value, list):
        key_name = MERGE_KEYS.get(path.rsplit(".", 1)[-1])
        for index, item in enumerate(value):
            label = item.get(key_name) if key_name and isinstance(item, dict) else None
            _flatten(item, f"{path}[{label if label is not None else index}]", out)
    elif value is not None:
        out[path] = str(value).lower() if isinstance(value, bool) else str(value)


def diff_specs(before: dict[str, Any], after: dict[str, Any]) -> tuple[DiffLine, ...]:
    """Compare two Deployments' ``spec`` (replicas and pod template), leaf by leaf."""
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    _flatten(before.get("spec", {}), "spec", old)
    _flatten(after.get("spec", {}), "spec", new)
    return tuple(
        DiffLine(path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    )


def render_diff(lines: tuple[DiffLine, ...] | list[DiffLine]) -> str:
    return "\n".join(str(line) for line in lines)
