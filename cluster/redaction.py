"""Log text is untrusted: mask secrets and cut it to size before it leaves ``cluster``."""

from __future__ import annotations

import re

__all__ = ["MASK", "redact", "truncate", "clean_log"]

MASK = "[REDACTED]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.S
        ),
        MASK,
    ),
    (re.compile(r"(?i)\b(authorization\s*[:=]\s*)(bearer|basic|token)\s+\S+"), rf"\1\2 {MASK}"),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]{8,}=*"), rf"\1 {MASK}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), MASK),
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"), MASK),
    (
        re.compile(
            r"\b(gh[pousr]_[A-Za-z0-9]{20,}|sk-[A-Za-z0-9_-]{16,}|xox[abpr]-[A-Za-z0-9-]{10,})"
        ),
        MASK,
    ),
    (re.compile(r"(?s)\A(?:(?!-----BEGIN).)*?-----END [A-Z ]*PRIVATE KEY-----"), MASK),
    (re.compile(r"(?i)(://[^/\s:@]{1,64}:)[^@\s/]{1,256}@"), rf"\1{MASK}@"),
    (
        re.compile(
            r"(?i)([\"']?\b[\w.-]{0,40}(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|"
            r"access[_-]?key|private[_-]?key|credentials?)[\"']?\s*[:=]\s*)"
            r"(\"[^\"]*\"|'[^']*'|[^\s,;&}\]]+)"
        ),
        rf"\1{MASK}",
    ),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def truncate(text: str, *, max_lines: int = 50, max_chars: int = 4000) -> str:
    """Keep the tail (the most recent lines), marking what was cut."""
    lines = text.splitlines()
    cut = len(lines) > max_lines
    kept = "\n".join(lines[-max_lines:])
    if len(kept) > max_chars:
        kept, cut = kept[-max_chars:], True
    return f"…\n{kept}" if cut else kept


def clean_log(text: str, *, max_lines: int = 50, max_chars: int = 4000) -> str:
    """Cut to whole lines, redact (a cut key block is caught too), then cut to size."""
    lines = text.splitlines()
    tail = "\n".join(lines[-max_lines:])
    redacted = redact(tail[-8 * max_chars :])
    cut = len(lines) > max_lines or len(tail) > 8 * max_chars
    result = truncate(redacted, max_lines=max_lines, max_chars=max_chars)
    return result if result.startswith("…") or not cut else f"…\n{result}"
