"""Who and where in the sandbox: its user, its two chats and the fake app's secrets."""

from __future__ import annotations

__all__ = [
    "APP_ID",
    "BOT_OPEN_ID",
    "USER_OPEN_ID",
    "USER_NAME",
    "PARTNER_OPEN_ID",
    "PARTNER_NAME",
    "GROUP_CHAT",
    "P2P_CHAT",
    "CHATS",
    "chat_of",
]

APP_ID = "cli_sandbox"
BOT_OPEN_ID = "ou_sandbox_bot"
USER_OPEN_ID = "ou_sandbox_user"
USER_NAME = "you"
PARTNER_OPEN_ID = "ou_sandbox_lin"  # shares the demo team's on-call rota with the user
PARTNER_NAME = "Lin"
GROUP_CHAT = "oc_sandbox_group"
P2P_CHAT = "oc_sandbox_p2p"
CHATS = {"group": GROUP_CHAT, "p2p": P2P_CHAT}


def chat_of(chat_id: str) -> str | None:
    """The page's chat ("group"/"p2p") a ledger chat id belongs to; messages the bot sent
    to the user by open id land in the private chat, as in Feishu."""
    if chat_id == GROUP_CHAT:
        return "group"
    if chat_id in (P2P_CHAT, USER_OPEN_ID):
        return "p2p"
    return None
