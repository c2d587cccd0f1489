"""The /whoami card: the sender's open_id, the chat_id, and the YAML that grants them."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from bot.cards.card import Card, card
from bot.cards.elements import markdown
from messages import t

__all__ = ["whoami_card", "grant_yaml"]


def grant_yaml(open_id: str, chat_id: str | None, namespaces: Sequence[str]) -> str:
    """``approvals.approvers`` entries (the person; the whole group when ``chat_id``) and
    the matching ``access`` grant, ready to merge into the config file."""

    def spaces() -> list[str]:  # a fresh list each time: no YAML anchors in the paste
        return list(namespaces)

    approvers: list[dict[str, object]] = [{"open_id": open_id, "namespaces": spaces()}]
    grant: dict[str, object] = {
        "role": "approver",
        "open_ids": [open_id],
        "namespaces": spaces(),
    }
    if chat_id:
        approvers.append({"chat_id": chat_id, "namespaces": spaces()})
    config = {"approvals": {"approvers": approvers}, "access": {"grants": [grant]}}
    return str(yaml.safe_dump(config, sort_keys=False, default_flow_style=None))


def whoami_card(
    open_id: str, chat_id: str, chat_type: str, namespaces: Sequence[str], lang: str
) -> Card:
    group = chat_type == "group"
    kind = t(f"whoami.chat_type.{'group' if group else 'p2p'}", lang)
    snippet = grant_yaml(open_id, chat_id if group else None, namespaces)
    elements = [
        markdown(t("whoami.ids", lang, open_id=open_id, chat_id=chat_id or "-", chat_type=kind)),
        markdown(t("whoami.paste", lang)),
        markdown(f"```yaml\n{snippet}```"),
    ]
    if group:
        elements.append(markdown(t("whoami.group_note", lang), text_size="notation"))
    return card(t("whoami.title", lang), elements, severity="info")
