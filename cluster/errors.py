"""Typed errors: a problem *found* is a Finding; an error means a call failed."""

from __future__ import annotations

from cluster.subjects import Subject

__all__ = [
    "ClusterError",
    "ClusterApiError",
    "ClusterUnavailable",
    "NotFound",
    "Conflict",
    "DryRunRejected",
    "PlanError",
]


class ClusterError(Exception):
    """A Kubernetes API call failed; ``call`` names it (e.g. ``list_namespaced_pod``) for
    logs, ``subject`` says what it was about (verb, kind, namespace/name) for people."""

    subject: Subject | None = None

    def __init__(self, call: str, detail: str) -> None:
        super().__init__(f"{call}: {detail}")
        self.call = call
        self.detail = detail

    def about(self, subject: Subject | None) -> ClusterError:
        self.subject = subject
        return self


class ClusterApiError(ClusterError):
    """The API server answered with an error status."""

    def __init__(self, call: str, status: int, reason: str, message: str = "") -> None:
        super().__init__(call, f"HTTP {status} {reason}: {message}".rstrip(": "))
        self.status = status
        self.reason = reason
        self.message = message


class NotFound(ClusterApiError):
    """HTTP 404: the object does not exist."""


class ClusterUnavailable(ClusterError):
    """No answer: connection refused, timeout, broken response."""


class Conflict(ClusterError):
    """The object changed since the plan was proposed: re-diagnose before applying."""

    def __init__(self, call: str, expected: str, actual: str) -> None:
        super().__init__(call, f"resourceVersion is {actual}, plan was made at {expected}")
        self.expected = expected
        self.actual = actual


class DryRunRejected(ClusterApiError):
    """The server-side dry run refused a patch (HTTP 4xx); nothing was applied."""


class PlanError(ValueError):
    """A plan or operation is malformed, unknown or outside the allowed bounds."""
