"""The HTTP edge: a PrometheusConnect with auth and retries, and error translation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import requests
from prometheus_api_client import PrometheusApiClientException, PrometheusConnect
from urllib3.util.retry import Retry

from analysis.prometheus.errors import (
    PrometheusAuthError,
    PrometheusQueryError,
    PrometheusUnreachable,
)

__all__ = ["connect", "translated"]

_STATUS = re.compile(r"HTTP Status Code (\d+) \((.*)\)$", re.DOTALL)
_ERROR = re.compile(r'"error"\s*:\s*"((?:[^"\\]|\\.)*)"')


def connect(
    url: str,
    *,
    token: str | None,
    username: str | None,
    password: str | None,
    timeout: float,
) -> PrometheusConnect:
    """A client with a bearer token (header) or basic auth, few quick retries."""
    if token and (username or password):
        raise ValueError("give either a bearer token or a username/password, not both")
    if (username is None) != (password is None):
        raise ValueError("basic auth needs both username and password")
    headers = {"Authorization": f"Bearer {token}"} if token else None
    auth = (username, password) if username is not None and password is not None else None
    retry = Retry(
        total=2,
        connect=1,
        read=1,
        status=2,
        backoff_factor=0.2,
        status_forcelist=(502, 503, 504),
        allowed_methods=("GET", "POST"),
    )
    # PrometheusConnect annotates timeout as int; requests takes any float.
    return PrometheusConnect(
        url=url.rstrip("/"),
        headers=headers,
        auth=auth,
        retry=retry,
        timeout=timeout,
    )


def _status_of(error: PrometheusApiClientException) -> tuple[int, str]:
    match = _STATUS.search(str(error))
    if match is None:
        return 0, str(error)
    body = match.group(2)
    detail = _ERROR.search(body)
    return int(match.group(1)), detail.group(1) if detail else body


@contextmanager
def translated(url: str, signal: str, query: str) -> Iterator[None]:
    """Turn requests/client exceptions into the typed errors of this package."""
    try:
        yield
    except PrometheusApiClientException as error:
        status, detail = _status_of(error)
        if status in (401, 403):
            raise PrometheusAuthError(url, f"HTTP {status}: credentials refused") from error
        if status in (400, 422):
            raise PrometheusQueryError(signal, query, detail) from error
        raise PrometheusUnreachable(url, f"HTTP {status}: {detail}") from error
    except requests.exceptions.Timeout as error:
        raise PrometheusUnreachable(url, "timed out") from error
    except requests.exceptions.ConnectionError as error:
        raise PrometheusUnreachable(url, f"connection failed ({_root(error)})") from error
    except requests.exceptions.RequestException as error:
        raise PrometheusUnreachable(url, str(error)) from error
    except ValueError as error:  # a body that is not Prometheus JSON
        raise PrometheusUnreachable(url, f"answer is not Prometheus JSON: {error}") from error


def _root(error: BaseException) -> str:
    text = str(error)
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker in text:
            return marker
    return type(error).__name__
