"""A loopback stand-in for the Feishu open platform, for tests and the sandbox.

``FakePlatform`` serves the open APIs the bot calls (tenant token, messages, images, bot
info) and records everything; ``EventSender`` signs and encrypts events exactly as
Feishu does and posts them to the bot.
"""

from sandbox.feishu.sender import EventSender
from sandbox.feishu.server import FakePlatform

__all__ = ["FakePlatform", "EventSender"]
