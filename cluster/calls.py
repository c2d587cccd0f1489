"""Run one blocking kubernetes-client call off the event loop; map failures to typed errors.

Each API server's calls run on threads of their own (``THREADS_PER_SERVER``), so one that
accepts connections and never answers holds only its own threads until the request
timeout, not those of the other clusters or of the rest of the bot.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import urllib3
from kubernetes.client.exceptions import ApiException

from cluster.errors import ClusterApiError, ClusterError, ClusterUnavailable, NotFound
from cluster.subjects import subject_of

__all__ = ["call_kubernetes", "api_error"]

T = TypeVar("T")
THREADS_PER_SERVER = 8
_pools: weakref.WeakKeyDictionary[Any, ThreadPoolExecutor] = weakref.WeakKeyDictionary()
_pools_lock = threading.Lock()


def _pool_of(function: Callable[..., Any]) -> ThreadPoolExecutor | None:
    """The threads of the API client behind ``function`` (a method of an API group
    object of the kubernetes client), made on first use; None for anything else."""
    api_client = getattr(getattr(function, "__self__", None), "api_client", None)
    if api_client is None:
        return None
    with _pools_lock:
        pool = _pools.get(api_client)
        if pool is None:
            pool = ThreadPoolExecutor(THREADS_PER_SERVER, thread_name_prefix="kubernetes")
            _pools[api_client] = pool
        return pool


async def _in_thread(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    pool = _pool_of(function)
    if pool is None:
        return await asyncio.to_thread(function, *args, **kwargs)
    call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(pool, call)


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
        return await _in_thread(function, *args, **kwargs)
    except ApiException as error:
        if error.status is None or error.status == 0:
            raise ClusterUnavailable(call, str(error.reason or error)).about(subject) from error
        raise api_error(call, error).about(subject) from error
    except (urllib3.exceptions.HTTPError, OSError) as error:
        detail = f"{type(error).__name__}: {error}"
        raise ClusterUnavailable(call, detail).about(subject) from error
    except ClusterError:
        raise
