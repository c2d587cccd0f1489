"""The one scrubber: every error text bound for a card, a REST body or a log passes here.

It masks credentials in URLs (``scheme://user:pw@host`` → ``scheme://***@host``), bearer
and basic tokens, secret-looking query parameters, and the values of the configured
secrets, registered once at start (``register_secrets(settings.secret_values())``).
A leaf: any package may import it; it imports nothing of ours.

Redaction of untrusted text bound for the model (logs, events) is a different job with a
wider net: see ``cluster.redaction``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from urllib.parse import quote

__all__ = ["MASK", "scrub", "register_secrets", "registered_count", "mask_registered"]

MASK = "***"
MIN_SECRET_LENGTH = 6  # shorter values would mask ordinary words

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # userinfo of any URL: redis://:pw@h, https://user:pw@h, https://token@h
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]{1,20}://)[^/\s@'\"<>]+@"), rf"\1{MASK}@"),
    (re.compile(r"(?i)\b(authorization\s*[:=]\s*)(?:(bearer|basic|token)\s+)?[^\s,;'\"]+"), "AUTH"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]{8,}=*"), rf"\1 {MASK}"),
    (
        re.compile(
            r"(?i)([?&;](?:access_token|id_token|refresh_token|token|api[_-]?key|apikey|key|"
            r"secret|client_secret|password|passwd|pwd|auth|ticket|signature|sig|x-amz-signature)=)"
            r"[^&\s#'\"]+"
        ),
        rf"\1{MASK}",
    ),
)


def _auth(match: re.Match[str]) -> str:
    scheme = f"{match.group(2)} " if match.group(2) else ""
    return f"{match.group(1)}{scheme}{MASK}"


class _Secrets:
    """Configured secret values, longest first (a value inside another is masked too)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: tuple[str, ...] = ()

    def add(self, values: Iterable[str | None]) -> None:
        fresh = {v for v in values if v and len(v) >= MIN_SECRET_LENGTH}
        fresh |= {quote(v, safe="") for v in fresh}
        with self._lock:
            merged = set(self._values) | fresh
            self._values = tuple(sorted(merged, key=len, reverse=True))

    @property
    def values(self) -> tuple[str, ...]:
        return self._values


_SECRETS = _Secrets()


def register_secrets(values: Iterable[str | None]) -> None:
    """Remember the values of configured secrets (app secret, tokens, keys, passwords)."""
    _SECRETS.add(values)


def registered_count() -> int:
    return len(_SECRETS.values)


def mask_registered(text: str, mask: str = MASK) -> str:
    """``text`` with the values of the registered secrets replaced by ``mask``."""
    for value in _SECRETS.values:
        if value in text:
            text = text.replace(value, mask)
    return text


def scrub(text: object) -> str:
    """``text`` as a string with every credential shape and registered secret masked."""
    result = mask_registered(str(text))
    for pattern, replacement in _PATTERNS:
        result = pattern.sub(_auth if replacement == "AUTH" else replacement, result)
    return result
