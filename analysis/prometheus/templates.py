"""Fill a signal's PromQL template; only the four known placeholders are replaced."""

from __future__ import annotations

import re

__all__ = ["PLACEHOLDERS", "render_query"]

PLACEHOLDERS = ("service", "namespace", "window", "pods")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def render_query(template: str, *, service: str, namespace: str, window: str, pods: str) -> str:
    """Replace ``{service}``, ``{namespace}``, ``{window}`` and ``{pods}`` in one pass.

    Other braces are PromQL label matchers and stay as they are, so
    ``up{{pods}}`` becomes ``up{namespace="ns", pod=~"svc-.*"}``.
    """
    values = {"service": service, "namespace": namespace, "window": window, "pods": pods}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)
