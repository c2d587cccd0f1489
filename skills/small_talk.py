"""Greetings and thanks, which deserve a short reply, not a runbook search."""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["small_talk"]

Kind = Literal["greeting", "thanks"]

_GREETING = re.compile(
    r"^(你好|您好|嗨|哈喽|早上好|下午好|晚上好|早|在吗"
    r"|hello|hi|hey|hiya|good (morning|afternoon|evening))"
    r"\s?(呀|啊|哇|there|bot|机器人|助手)?$"
)
_THANKS = re.compile(
    r"^(谢谢|多谢|感谢|谢啦|谢了|thanks|thank you|thx|ty|cheers)"
    r"\s?(你|您|啦|了|a lot|so much|very much|bot|机器人|助手)?$"
)
_NOISE = re.compile(r"[\s!！?？.。,，~～:：;；、'\"()（）]+|[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def small_talk(text: str) -> Kind | None:
    """ "greeting" for "你好"/"hi there!", "thanks" for "谢谢！"/"thank you", else None."""
    plain = " ".join(_NOISE.sub(" ", text.lower()).split())
    if _THANKS.match(plain):
        return "thanks"
    if _GREETING.match(plain):
        return "greeting"
    return None
