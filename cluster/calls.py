"""Run one blocking kubernetes-client call off the event loop; map failures to typed errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, TypeVar

import urllib3
from kubernetes.client.exceptions import ApiException

from cluster.errors import ClusterApiError, ClusterError, ClusterUnavailable, NotFound
from cluster.subjects import subject_of

__all__ = ["call_kubernetes", "api_error"]

T = TypeVar("T")


def api_error(
    call: str, error: ApiException, kind: type[ClusterApiError] = ClusterApiError
) -> ClusterApiError:
    message = ""
    try:
        body = json.loads(error.body or "{}")
        message = str(body.get("message", "")) if isinstance(body, dict) else ""
    except (TypeError, ValueError):
        message = str(error.body or "")[:300]
    status = int(error.status or 0)
    if status == 404 and kind is ClusterApiError:
        kind = NotFound
    return kind(call, status, str(error.reason or ""), message)


async def call_kubernetes(call: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``await call_kubernetes("list_namespaced_pod", core.list_namespaced_pod, ns, ...)``."""
    subject = subject_of(call, args)
    try:
        return await asyncio.to_thread(function, *args, **kwargs)
    except ApiException as error:
        if error.status is None or error.status == 0:
            raise ClusterUnavailable(call, str(error.reason or error)).about(subject) from error
        raise api_error(call, error).about(subject) from error
    except (urllib3.exceptions.HTTPError, OSError) as error:
        detail = f"{type(error).__name__}: {error}"
        raise ClusterUnavailable(call, detail).about(subject) from error
    except ClusterError:
        raise
