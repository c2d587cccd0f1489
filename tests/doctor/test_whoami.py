"""/whoami end to end: a signed event in a group and in a private chat → the card with the
sender's ids and YAML that, pasted into the config, makes them an approver."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from bot.access.approvers import may_approve
from bot.cards.schema import validate_card
from config.settings import load_settings
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, start_bot
from tests.doctor.conftest import write_config


def _card_text(bot: RunningBot, chat: str) -> str:
    message = bot.wait_for(lambda: bot.bot_messages(chat))[0]
    assert message.msg_type == "interactive"
    validate_card(message.content)
    return json.dumps(message.content, ensure_ascii=False)


def _snippet(card: dict[str, Any]) -> dict[str, Any]:
    blocks = [
        e["content"] for e in card["body"]["elements"] if e.get("content", "").startswith("```")
    ]
    assert len(blocks) == 1
    return yaml.safe_load(re.sub(r"^```yaml\n|```$", "", blocks[0]))


def test_whoami_in_a_group(platform: FakePlatform, db_url: str, tmp_path: Path) -> None:
    bot = start_bot(platform, db_url)
    try:
        bot.sender.say("/whoami", chat_id="oc_team", sender="ou_alice")
        text = _card_text(bot, "oc_team")
        assert "ou_alice" in text and "oc_team" in text and "group" in text
        assert "&id" not in text and "*id" not in text  # plain YAML, no anchors
        snippet = _snippet(bot.bot_messages("oc_team")[0].content)
    finally:
        bot.stop()
    approvers = snippet["approvals"]["approvers"]
    assert {"open_id": "ou_alice", "namespaces": ["default"]} in approvers
    assert {"chat_id": "oc_team", "namespaces": ["default"]} in approvers
    assert snippet["access"]["grants"] == [
        {"role": "approver", "open_ids": ["ou_alice"], "namespaces": ["default"]}
    ]
    # Pasted into the config file, the lines make the sender (and the group) approvers.
    settings = load_settings({"CLOUDOPS_CONFIG": write_config(tmp_path / "c.yaml", snippet)})
    assert may_approve(settings.approvals.approvers, "ou_alice", "oc_elsewhere", "default")
    assert may_approve(settings.approvals.approvers, "ou_bob", "oc_team", "default")
    assert not may_approve(settings.approvals.approvers, "ou_bob", "oc_elsewhere", "default")


def test_whoami_in_a_private_chat(platform: FakePlatform, db_url: str, tmp_path: Path) -> None:
    services = {"prometheus": {"services": {"payments": {"namespace": "payments"}}}}
    config = write_config(tmp_path / "services.yaml", services)
    bot = start_bot(platform, db_url, CLOUDOPS_CONFIG=config)
    try:
        bot.sender.say("/whoami", chat_id="oc_p2p_bob", chat_type="p2p", sender="ou_bob")
        text = _card_text(bot, "oc_p2p_bob")
        assert "ou_bob" in text and "oc_p2p_bob" in text and "private chat" in text
        snippet = _snippet(bot.bot_messages("oc_p2p_bob")[0].content)
    finally:
        bot.stop()
    # A private chat's id would let nobody else approve: only the person is listed, in the
    # namespaces the configured services live in.
    assert snippet["approvals"]["approvers"] == [{"open_id": "ou_bob", "namespaces": ["payments"]}]
    assert snippet["access"]["grants"][0]["open_ids"] == ["ou_bob"]
