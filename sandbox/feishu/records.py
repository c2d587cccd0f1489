"""What the fake open platform remembers: requests, messages and queued faults."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Recorded", "FakeMessage", "FakeChat", "Fault", "Ledger"]


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int


@dataclass
class FakeMessage:
    message_id: str
    chat_id: str
    msg_type: str
    content: dict[str, Any]
    sender: str  # "bot" or an open_id
    parent_id: str = ""
    uuid: str = ""
    seq: int = 0
    versions: list[dict[str, Any]] = field(default_factory=list)
    created: float = field(default_factory=time.time)  # epoch seconds, as Feishu's create_time
    # The thread (话题) the message is in: a reply with reply_in_thread opens one on its
    # parent, and every reply to a message of a thread stays in it (as Feishu does).
    thread_id: str = ""
    root_id: str = ""

    @property
    def text(self) -> str:
        return str(self.content.get("text", ""))


@dataclass
class FakeChat:
    """A group the bot created (``im.v1.chat.create``): its name, description, members."""

    chat_id: str
    name: str
    description: str
    members: list[str]  # open_ids; the bot is always in it
    uuid: str = ""
    seq: int = 0


@dataclass
class Fault:
    path_contains: str
    status: int
    code: int
    times: int
    headers: dict[str, str] = field(default_factory=dict)


class Ledger:
    """Thread-safe store behind the fake; tests read it directly."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.requests: list[Recorded] = []
        self.messages: dict[str, FakeMessage] = {}
        self.chats: dict[str, FakeChat] = {}  # groups the bot created
        self.faults: list[Fault] = []
        self.valid_tokens: set[str] = set()
        self.tokens_issued = 0
        self.seq = 0
        self.locked: dict[str, int] = {}  # message id -> patches to refuse as "card action is lock"

    def next_seq(self) -> int:
        with self.lock:
            self.seq += 1
            return self.seq

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.path_contains in path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def sent(self, chat_id: str | None = None) -> list[FakeMessage]:
        with self.lock:
            found = [m for m in self.messages.values() if m.sender == "bot"]
        found.sort(key=lambda m: m.seq)
        return [m for m in found if chat_id is None or m.chat_id == chat_id]

    def calls(self, method: str, path_contains: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.method == method and path_contains in r.path]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Poll ``predicate`` until it returns something truthy (background work)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.02)
        raise TimeoutError(f"condition not met within {timeout}s")
