"""Conversation memory per user per chat, expiring after inactivity."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from bot.state.engine import offloop, utcnow
from bot.state.models import ChatSession

__all__ = ["SqlSessions"]


def _key(user_id: str, chat_id: str) -> str:
    return f"{chat_id}:{user_id}"


class SqlSessions:
    def __init__(self, engine: Engine, idle: timedelta = timedelta(hours=2)) -> None:
        self._engine = engine
        self._idle = idle

    @offloop
    def load(self, user_id: str, chat_id: str) -> list[dict[str, Any]]:
        with Session(self._engine) as session:
            row = session.get(ChatSession, _key(user_id, chat_id))
            if row is None:
                return []
            if utcnow() - row.updated_at > self._idle:
                return []
            messages: list[dict[str, Any]] = json.loads(row.messages)
            return messages

    @offloop
    def save(self, user_id: str, chat_id: str, messages: list[dict[str, Any]]) -> None:
        with Session(self._engine) as session, session.begin():
            session.merge(
                ChatSession(
                    key=_key(user_id, chat_id),
                    messages=json.dumps(messages, ensure_ascii=False),
                    updated_at=utcnow(),
                )
            )

    @offloop
    def clear(self, user_id: str, chat_id: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(delete(ChatSession).where(ChatSession.key == _key(user_id, chat_id)))
