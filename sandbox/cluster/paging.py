"""List paging as the API server does it: ``limit`` items, then an opaque ``continue``."""

from __future__ import annotations

import base64
import binascii

from sandbox.cluster.world import Obj

__all__ = ["page", "PagingError"]


class PagingError(ValueError):
    """A malformed ``limit`` or ``continue`` (the API server answers 400)."""


def page(items: list[Obj], query: dict[str, list[str]]) -> tuple[list[Obj], str]:
    """(this page, the token for the next one or "")."""
    limit_text = query.get("limit", [""])[0]
    token = query.get("continue", [""])[0]
    try:
        start = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
        limit = int(limit_text) if limit_text else 0
    except (ValueError, binascii.Error) as error:
        raise PagingError(f"invalid paging parameters: {error}") from error
    if limit <= 0:
        return items[start:], ""
    end = start + limit
    more = base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else ""
    return items[start:end], more
