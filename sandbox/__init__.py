"""The sandbox: the bot, a stand-in for Feishu, a simulated cluster and demo metrics in one
process, with a web chat at ``/sandbox`` that behaves like a Feishu chat.

    run_sandbox(port=8080, host="127.0.0.1")     # what ``cloudops sandbox`` runs
    with Sandbox(lang="en-US").start() as sandbox:  # tests: sandbox.chat_url
        ...
"""

from sandbox.run import run_sandbox
from sandbox.world import Sandbox

__all__ = ["Sandbox", "run_sandbox"]
