"""Make a log tail readable in chat: redact, fold repeated lines with a count, put the
lines that matter first (errors, stack traces, OOM, connection refused) and bound it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cluster.redaction import redact

__all__ = ["LogLine", "LogDigest", "digest", "CATEGORIES"]

# category → pattern, in priority order (a line takes the first that matches)
CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("oom", re.compile(r"OOMKilled|[Oo]ut of memory|OutOfMemoryError|^Killed$|oom-kill")),
    ("refused", re.compile(r"(?i)connection refused|ECONNREFUSED|dial tcp .*: connect:")),
    (
        "trace",
        re.compile(
            r"^Traceback \(most recent call last\)|^\s+at [\w.$<>]+\(|^\s+File \".+\", line \d+"
            r"|^goroutine \d+ \[|^panic:|^Caused by:|^\s+\.\.\. \d+ more"
        ),
    ),
    ("error", re.compile(r"(?i)\b(error|fatal|exception|critical|panic|failed)\b|\bERR\b")),
)
_VOLATILE = re.compile(
    r"\d{4}-\d\d-\d\d[T ][\d:.,]+Z?|\b\d+(\.\d+)?(ms|s)?\b|0x[0-9a-f]+|[0-9a-f]{12,}"
)


@dataclass(frozen=True)
class LogLine:
    text: str
    count: int  # how many lines folded into this one
    category: str  # oom | refused | trace | error | ""


@dataclass(frozen=True)
class LogDigest:
    important: tuple[LogLine, ...]  # the lines that matter, in order of appearance
    tail: tuple[LogLine, ...]  # the latest lines, folded
    total: int  # lines read
    cut: bool  # bounded: something was left out


def _category(line: str) -> str:
    return next((name for name, pattern in CATEGORIES if pattern.search(line)), "")


def _fold(lines: list[str]) -> list[LogLine]:
    """Consecutive lines equal up to timestamps and numbers become one with a count."""
    folded: list[LogLine] = []
    keys: list[str] = []
    for line in lines:
        key = _VOLATILE.sub("#", line)
        if keys and keys[-1] == key:
            last = folded[-1]
            folded[-1] = LogLine(line, last.count + 1, last.category)
            continue
        keys.append(key)
        folded.append(LogLine(line, 1, _category(line)))
    return folded


def digest(
    text: str,
    *,
    grep: str | None = None,
    max_lines: int = 60,
    max_bytes: int = 6000,
    max_important: int = 15,
    line_chars: int = 300,
) -> LogDigest:
    lines = [redact(line)[:line_chars] for line in text.splitlines() if line.strip()]
    if grep:
        lines = [line for line in lines if grep.lower() in line.lower()]
    folded = _fold(lines)
    important = [line for line in folded if line.category][-max_important:]
    tail: list[LogLine] = []
    used = sum(len(line.text) + 8 for line in important)
    for line in reversed(folded):
        size = len(line.text) + 8
        if len(tail) + len(important) >= max_lines or used + size > max_bytes:
            break
        tail.append(line)
        used += size
    tail.reverse()
    cut = len(tail) < len(folded) or len(important) < sum(1 for f in folded if f.category)
    return LogDigest(tuple(important), tuple(tail), len(lines), cut)
