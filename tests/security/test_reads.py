"""Audit point 7: reads are authorised too. /audit shows the entries of the chat it is
asked in (admins: /audit all); with ``access:`` configured, a chat that is not listed
gets a refusal naming the role and the namespace, and nothing runs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.app.skills import default_registry
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, start_bot
from tests.fix.conftest import APPROVER, FixEnv, card_text

LISTED, UNLISTED, OTHER = "oc_listed", "oc_unlisted", "oc_other"
ADMIN = "ou_admin"


def _table(env: FixEnv, chat: str) -> list[dict]:
    card = env.wait_message(lambda m: "Audit log" in card_text(m.content), chat)
    return next(e for e in card.content["body"]["elements"] if e["tag"] == "table")["rows"]


def test_audit_shows_only_the_chat_it_is_asked_in(env: FixEnv) -> None:
    env.say("/fix nginx", chat="oc_b")  # chat B gets a plan (audited: propose_fix)
    env.wait_approval(chat="oc_b")
    env.say("/audit", chat="oc_a")
    assert "Nothing recorded yet" in card_text(env.wait_message(lambda m: True, "oc_a").content)
    env.say("/audit", chat="oc_b")
    assert [r["action"] for r in _table(env, "oc_b")] == ["propose_fix"]
    env.say("/audit all", chat="oc_a")  # no access: section: nobody is an admin
    refusal = env.wait_message(lambda m: "Not allowed" in card_text(m.content), "oc_a")
    assert "admin" in card_text(refusal.content)


def test_with_access_configured_reads_follow_the_grants(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    access = {
        "reads": "members",
        "grants": [
            {"role": "viewer", "chat_ids": [LISTED], "namespaces": ["default"]},
            {"role": "admin", "open_ids": [ADMIN]},
        ],
    }
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps({"access": access}), encoding="utf-8")
    bot = start_bot(platform, db_url, registry=default_registry(), CLOUDOPS_CONFIG=str(config))
    try:
        _reads_follow_the_grants(bot)
    finally:
        bot.stop()


def _reads_follow_the_grants(bot: RunningBot) -> None:
    def answer(chat: str, after: int = 0) -> str:
        return card_text(bot.wait_for(lambda: bot.bot_messages(chat)[after:])[0].content)

    bot.sender.say("/rca payments -n default", chat_id=UNLISTED)
    text = answer(UNLISTED)
    assert "Not allowed" in text and "**viewer**" in text and "**default**" in text
    bot.sender.say("/rca payments -n payments", chat_id=LISTED)  # listed, not for payments
    text = answer(LISTED)
    assert "Not allowed" in text and "**payments**" in text
    bot.sender.say("/rca payments -n default", chat_id=LISTED)  # listed for default: it runs
    text = answer(LISTED, 1)
    assert "Not allowed" not in text and "Prometheus" in text  # the skill ran (no Prometheus)
    entries = asyncio.run(bot.runtime.services.store.audit.recent(50))
    refused = {(e.chat_id, e.action, e.result) for e in entries}
    assert refused == {(UNLISTED, "/rca", "unauthorised"), (LISTED, "/rca", "unauthorised")}

    bot.sender.say("/audit all", chat_id=OTHER, sender=ADMIN)  # an admin reads every chat
    rows = next(
        e
        for e in bot.wait_for(lambda: bot.bot_messages(OTHER))[0].content["body"]["elements"]
        if e["tag"] == "table"
    )["rows"]
    assert len(rows) == 2 and all("needs viewer" in r["detail"] for r in rows)
    bot.sender.say("/audit", chat_id=OTHER, sender=APPROVER)  # nobody granted in OTHER
    assert "Not allowed" in answer(OTHER, 1)
