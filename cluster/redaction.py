"""Log text is untrusted: mask secrets and cut it to size before it leaves ``cluster``."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

from config.scrub import mask_registered

__all__ = ["MASK", "redact", "truncate", "clean_log"]

MASK = "[REDACTED]"

# Key names whose value is a secret; the short ones only as a word of their own
# ("pass=", not "bypass=").
_KEY_WORDS = (
    r"password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|"
    r"credentials?|session[_-]?id|(?<![a-z])(?:pass|pwd|sid)"
)


def _basic(match: re.Match[str]) -> str:
    """``Basic <base64>`` is a credential when it decodes to ``user:password``."""
    try:
        decoded = base64.b64decode(match.group(2) + "==", validate=False)
    except (ValueError, binascii.Error):
        return match.group(0)
    return f"{match.group(1)} {MASK}" if b":" in decoded else match.group(0)


# Order matters: whole blocks and headers first, then token shapes, then key=value.
_PATTERNS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.S
        ),
        MASK,
    ),
    (re.compile(r"(?s)\A(?:(?!-----BEGIN).)*?-----END [A-Z ]*PRIVATE KEY-----"), MASK),
    # Authorization / Proxy-Authorization headers, whatever the scheme
    (
        re.compile(
            r"(?i)\b((?:proxy-)?authorization\s*[:=]\s*)"
            r"(?:(bearer|basic|token|digest|negotiate|apikey)\s+)?[^\s'\",;]+"
        ),
        lambda m: f"{m.group(1)}{m.group(2) + ' ' if m.group(2) else ''}{MASK}",
    ),
    # Cookie and Set-Cookie headers: the whole value to the end of the line
    (re.compile(r"(?im)\b((?:set-)?cookie\s*:\s*)[^\r\n'\"]+"), rf"\1{MASK}"),
    # bare "Bearer <token>" (a token has a digit or punctuation) and "Basic <user:pw b64>"
    (
        re.compile(r"(?i)\b(bearer)\s+(?=[A-Za-z0-9\-._~+/]*[0-9._~+/-])[A-Za-z0-9\-._~+/]{8,}=*"),
        rf"\1 {MASK}",
    ),
    (re.compile(r"(?i)\b(basic)\s+([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])"), _basic),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), MASK),
    (re.compile(r"\b(AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b"), MASK),
    (
        re.compile(
            r"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
            r"|gl(?:pat|ptt|dt|rt|cbt|soat|ft|imt|agent)-[A-Za-z0-9_-]{20,}"
            r"|sk-(?:proj-|ant-|live_|test_)?[A-Za-z0-9_-]{16,}"
            r"|xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}"
            r"|[tu]-[A-Za-z0-9]{3}[A-Za-z0-9_.-]{24,})"
        ),
        MASK,
    ),
    (re.compile(r"(?i)(hooks\.slack\.com/services/)[A-Za-z0-9/]+"), rf"\1{MASK}"),
    # credentials in any URL: postgres://u:pw@h, redis://:pw@h, mongodb+srv://u:pw@h
    (
        re.compile(r"(?i)(\b[a-z][a-z0-9+.\-]{1,20}://[^/\s:@]{0,64}:)[^@\s/]{1,256}@"),
        rf"\1{MASK}@",
    ),
    # mysql -pSECRET (the password glued to -p), on a mysql/mysqldump/mysqladmin line
    (re.compile(r"(\bmysql\w*\b[^\n]*?\s-p)(?=[^\s-])(\S+)"), rf"\1{MASK}"),
    # --password x, --password=x, --token x, --api-key=x ...
    (
        re.compile(
            r"(?i)(--(?:password|passwd|pass|pwd|token|secret|api[-_]?key|access[-_]?key|"
            r"client[-_]?secret|auth[-_]?token)(?:=|\s+))(?!\[REDACTED\])"
            r"(\"[^\"]*\"|'[^']*'|[^\s\"']+)"
        ),
        rf"\1{MASK}",
    ),
    # key=value, key: value, "key": "value", and JSON inside JSON: \"key\": \"value\"
    (
        re.compile(
            rf"(?i)((?:\\?[\"'])?\b[\w.-]{{0,40}}(?:{_KEY_WORDS})(?:\\?[\"'])?\s*[:=]\s*)"
            # (?!...): a value masked already stays as it is (redacting twice changes nothing)
            r"(?!\[REDACTED\])(\\\"(?:[^\"\\]|\\[^\"])*\\\"|\"[^\"]*\"|'[^']*'|[^\s,;&}\]]+)"
        ),
        rf"\1{MASK}",
    ),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return mask_registered(text, MASK)


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
