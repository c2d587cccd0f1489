"""The four roles, ordered: each includes the rights of the ones before it."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Role"]


class Role(IntEnum):
    viewer = 1  # read: /rca, /diagnose, /forecast, /ask, /audit of the chat, proposals
    operator = 2  # change what is not the cluster: silence, ack, knowledge, subscriptions
    approver = 3  # decide plans that change the cluster: approve, reject, undo
    admin = 4  # everything, and /audit all
