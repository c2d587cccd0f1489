"""What a webhook request carries, checked without raising: JSON (bounded depth) and the
signature headers. Every function returns a value or a refusal reason; nothing throws.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers

__all__ = ["Envelope", "SignatureHeaders", "parse_json", "signature_headers", "unix_seconds"]

TIMESTAMP_HEADER = "X-Lark-Request-Timestamp"
NONCE_HEADER = "X-Lark-Request-Nonce"
SIGNATURE_HEADER = "X-Lark-Signature"

_BRACKETS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_TIMESTAMP = re.compile(r"[0-9]{1,13}")  # ASCII digits only: "²".isdigit() is True
_NONCE = re.compile(r"[\x21-\x7e]{1,128}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Envelope:
    data: dict[str, Any]

    @property
    def is_url_verification(self) -> bool:
        return self.data.get("type") == "url_verification"

    @property
    def is_encrypted(self) -> bool:
        return "encrypt" in self.data

    def header(self, name: str) -> str:
        header = self.data.get("header")
        value = header.get(name) if isinstance(header, dict) else None
        return value if isinstance(value, str) else ""

    def event_token(self) -> str:
        event = self.data.get("event")
        value = event.get("token") if isinstance(event, dict) else None
        return value if isinstance(value, str) else ""


def json_depth(body: bytes) -> int:
    """Nesting depth of the brackets outside strings (a linear scan, no recursion)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def parse_json(body: bytes, max_depth: int) -> Envelope | str:
    """The body as a JSON object, or the reason it was refused."""
    if json_depth(body) > max_depth:
        return "too_deep"
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError
        return "malformed"
    if not isinstance(data, dict):
        return "malformed"
    return Envelope(data)


@dataclass(frozen=True)
class SignatureHeaders:
    timestamp: int
    nonce: str
    signature: str


def signature_headers(headers: Headers) -> SignatureHeaders | str | None:
    """The three signature headers checked for shape; None when none is present."""
    stamp = headers.get(TIMESTAMP_HEADER)
    nonce = headers.get(NONCE_HEADER)
    signature = headers.get(SIGNATURE_HEADER)
    if stamp is None and nonce is None and signature is None:
        return None
    if stamp is None or not _TIMESTAMP.fullmatch(stamp):
        return "bad_timestamp"
    if nonce is None or not _NONCE.fullmatch(nonce):
        return "bad_nonce"
    if signature is None or not _SIGNATURE.fullmatch(signature):
        return "bad_signature"
    return SignatureHeaders(int(stamp), nonce, signature)


def unix_seconds(value: str) -> int | None:
    """A timestamp in seconds or milliseconds (Feishu's ``create_time``), or None."""
    if not _TIMESTAMP.fullmatch(value):
        return None
    number = int(value)
    return number // 1000 if len(value) == 13 else number
