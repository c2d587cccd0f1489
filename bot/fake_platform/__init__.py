"""A loopback stand-in for the Feishu open platform, for tests and the sandbox.

``FakePlatform`` serves the open APIs the bot calls (tenant token, messages, images, bot
info) and records everything; ``EventSender`` signs and encrypts events exactly as
Feishu does and posts them to the bot.
"""

from bot.fake_platform.sender import EventSender
from bot.fake_platform.server import FakePlatform

__all__ = ["FakePlatform", "EventSender"]
