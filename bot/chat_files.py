"""Files people send in chat: which file a message carries and its bytes, through Feishu's
``im.v1.message`` and ``im.v1.message_resource`` (the messenger's lark client), so that
skills never touch the raw client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lark_oapi.api.im.v1 import GetMessageRequest, GetMessageResourceRequest

__all__ = ["ChatFile", "FileFetchFailed", "download_file", "file_of"]


@dataclass(frozen=True)
class ChatFile:
    file_key: str
    name: str


class FileFetchFailed(RuntimeError):
    """Feishu did not give the message or the file; ``code`` is its error code."""

    def __init__(self, operation: str, code: int | None) -> None:
        super().__init__(f"{operation}: code {code}")
        self.code = code


async def file_of(client: Any, message_id: str) -> ChatFile | None:
    """The file the message ``message_id`` carries; None when it is not a file message."""
    request = GetMessageRequest.builder().message_id(message_id).build()
    response = await client.im.v1.message.aget(request)
    if not response.success():
        raise FileFetchFailed("im.v1.message.get", response.code)
    items = (response.data.items if response.data else None) or []
    if not items or items[0].msg_type != "file":
        return None
    content = json.loads((items[0].body.content if items[0].body else None) or "{}")
    return ChatFile(str(content.get("file_key") or ""), str(content.get("file_name") or ""))


async def download_file(client: Any, message_id: str, file_key: str) -> bytes:
    """The bytes of the file ``file_key`` sent in the message ``message_id``."""
    request = (
        GetMessageResourceRequest.builder()
        .message_id(message_id)
        .file_key(file_key)
        .type("file")
        .build()
    )
    response = await client.im.v1.message_resource.aget(request)
    if not response.success() or response.file is None:
        raise FileFetchFailed("im.v1.message_resource.get", response.code)
    data: bytes = response.file.read()
    return data
