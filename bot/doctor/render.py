"""Plain-text rendering of the doctor's checks for a terminal and for log lines."""

from __future__ import annotations

from collections.abc import Sequence

from bot.doctor.result import Check

__all__ = ["render_text", "summary"]

_MARK = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}


def summary(checks: Sequence[Check]) -> str:
    counts = {status: sum(c.status == status for c in checks) for status in ("ok", "warn", "fail")}
    return f"{counts['ok']} ok, {counts['warn']} warning(s), {counts['fail']} failure(s)"


def render_text(checks: Sequence[Check]) -> str:
    lines: list[str] = []
    for check in checks:
        lines.append(f"{_MARK[check.status]} {check.name}: {check.detail}")
        if check.fix and check.status != "ok":
            fix = check.fix.splitlines()
            lines.append(f"     fix: {fix[0]}")
            lines += [f"          {line}" for line in fix[1:]]
    lines.append(summary(checks))
    return "\n".join(lines)
