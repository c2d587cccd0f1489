"""The sandbox: the bot, a stand-in for Feishu, a simulated cluster and demo metrics in one
process, with a web chat at ``/sandbox`` that behaves like a Feishu chat.

    run_sandbox(port=8080, host="127.0.0.1")     # what ``cloudops sandbox`` runs
    with Sandbox(lang="en-US").start() as sandbox:  # tests: sandbox.chat_url
        ...

The exports load on first use: every ``cloudops`` start loads ``sandbox.cli`` (to list the
``sandbox`` command), which must not build the simulated world.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.run import run_sandbox
    from sandbox.world import Sandbox

__all__ = ["Sandbox", "run_sandbox"]

_HOMES = {"Sandbox": "sandbox.world", "run_sandbox": "sandbox.run"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'sandbox' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
