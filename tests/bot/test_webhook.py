"""The HTTP transport end to end: real lark-oapi, real HTTP, the fake open platform."""

from __future__ import annotations

import json
import time

from tests.conftest import RunningBot


def card_text(message: object) -> str:
    return json.dumps(message.content, ensure_ascii=False)


def test_url_verification_returns_the_challenge(bot: RunningBot) -> None:
    response = bot.sender.url_verification("challenge-xyz")
    assert response.status_code == 200
    assert response.json() == {"challenge": "challenge-xyz"}


def test_url_verification_with_a_wrong_token_is_refused(bot: RunningBot) -> None:
    response = bot.sender.url_verification("c", token="not-the-token")
    assert 400 <= response.status_code < 500


def test_help_in_a_group_gets_a_help_card_in_the_same_chat(bot: RunningBot) -> None:
    response = bot.sender.say("/help", chat_id="oc_team")
    assert response.status_code == 200
    reply = bot.wait_for(lambda: bot.bot_messages("oc_team"))[0]
    assert reply.msg_type == "interactive"
    assert reply.parent_id  # a reply to the command message
    assert "/help" in card_text(reply) and "/ask" in card_text(reply)
    assert reply.content["schema"] == "2.0"


def _refused_and_nothing_ran(bot: RunningBot, response: object) -> None:
    assert 400 <= response.status_code < 500
    sentinel = bot.settle()
    assert bot.others(sentinel) == []


def test_bad_signature_is_refused(bot: RunningBot) -> None:
    body, headers = bot.sender.wire(bot.sender.message_envelope("/help"))
    headers["X-Lark-Signature"] = "0" * 64
    _refused_and_nothing_ran(bot, bot.sender.post_raw(body, headers))


def test_bad_verification_token_is_refused(bot: RunningBot) -> None:
    envelope = bot.sender.message_envelope("/help")
    envelope["header"]["token"] = "forged-token"
    _refused_and_nothing_ran(bot, bot.sender.post(envelope))


def test_stale_timestamp_is_refused(bot: RunningBot) -> None:
    envelope = bot.sender.message_envelope("/help")
    stale = int(time.time()) - 6 * 60
    _refused_and_nothing_ran(bot, bot.sender.post(envelope, timestamp=stale))


def test_future_timestamp_is_refused(bot: RunningBot) -> None:
    envelope = bot.sender.message_envelope("/help")
    _refused_and_nothing_ran(bot, bot.sender.post(envelope, timestamp=int(time.time()) + 600))


def test_malformed_body_is_refused(bot: RunningBot) -> None:
    headers = {"Content-Type": "application/json"}
    _refused_and_nothing_ran(bot, bot.sender.post_raw(b"{not json", headers))


def test_undecryptable_body_is_refused(bot: RunningBot) -> None:
    body = json.dumps({"encrypt": "bm90IGEgY2lwaGVydGV4dA=="}).encode()
    _, headers = bot.sender.wire({"x": 1})
    _refused_and_nothing_ran(bot, bot.sender.post_raw(body, headers))


def test_unsigned_event_is_refused_when_an_encrypt_key_is_set(bot: RunningBot) -> None:
    envelope = bot.sender.message_envelope("/help")
    _refused_and_nothing_ran(bot, bot.sender.post(envelope, signed=False))


def test_unknown_event_type_is_acknowledged(bot: RunningBot) -> None:
    envelope = bot.sender.envelope("contact.user.created_v3", {"object": {}})
    response = bot.sender.post(envelope)
    assert response.status_code == 200
    sentinel = bot.settle()
    assert bot.others(sentinel) == []


def test_same_event_delivered_five_times_runs_once(bot: RunningBot) -> None:
    envelope = bot.sender.message_envelope("/help", chat_id="oc_dupes")
    for _ in range(5):
        assert bot.sender.post(envelope).status_code == 200
    bot.wait_for(lambda: bot.bot_messages("oc_dupes"))
    bot.settle()
    assert len(bot.bot_messages("oc_dupes")) == 1
    metrics = bot.sender.client.get(f"{bot.url}/metrics").text
    assert "cloudops_events_duplicate_total 4.0" in metrics


def test_group_message_without_mention_of_the_bot_is_ignored(bot: RunningBot) -> None:
    bot.sender.say("/help", chat_id="oc_quiet", mention_bot=False)
    bot.settle()
    assert bot.bot_messages("oc_quiet") == []


def test_unknown_command_gets_a_usage_card_naming_it(bot: RunningBot) -> None:
    bot.sender.say("/frobnicate now", chat_id="oc_unknown")
    reply = bot.wait_for(lambda: bot.bot_messages("oc_unknown"))[0]
    assert "/frobnicate" in card_text(reply)
    assert reply.content["header"]["template"] == "orange"


def test_bad_quoting_gets_a_usage_card(bot: RunningBot) -> None:
    bot.sender.say('/ask "unterminated', chat_id="oc_quote")
    reply = bot.wait_for(lambda: bot.bot_messages("oc_quote"))[0]
    assert "quote" in card_text(reply).lower()


def test_p2p_plain_text_goes_to_the_assistant(bot: RunningBot) -> None:
    bot.sender.say("why is my pod pending?", chat_id="oc_p2p", chat_type="p2p")
    reply = bot.wait_for(lambda: bot.bot_messages("oc_p2p"))[0]
    assert "why is my pod pending?" in card_text(reply)


def test_welcome_on_p2p_chat_entered(bot: RunningBot) -> None:
    event = {"chat_id": "oc_new_p2p", "operator_id": {"open_id": "ou_newcomer"}}
    envelope = bot.sender.envelope("im.chat.access_event.bot_p2p_chat_entered_v1", event)
    assert bot.sender.post(envelope).status_code == 200
    welcome = bot.wait_for(lambda: bot.bot_messages("oc_new_p2p"))[0]
    assert "/help" in card_text(welcome)


def test_card_click_on_unknown_action_gets_a_toast_and_runs_nothing(bot: RunningBot) -> None:
    response = bot.sender.click({"action": "no_such_action"})
    assert response.status_code == 200
    assert response.json()["toast"]["type"] == "warning"


def test_health_ready_and_metrics(bot: RunningBot) -> None:
    client = bot.sender.client
    assert client.get(f"{bot.url}/healthz").json() == {"status": "ok"}
    ready = client.get(f"{bot.url}/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"
    text = client.get(f"{bot.url}/metrics").text
    assert "cloudops_skill_latency_seconds" in text


def test_api_is_disabled_without_a_token(bot: RunningBot) -> None:
    assert bot.sender.client.get(f"{bot.url}/api/v1/health").status_code == 404


def test_bot_menu_click_answers_the_user_privately(bot: RunningBot) -> None:
    event = {"operator": {"operator_id": {"open_id": "ou_menu_user"}}, "event_key": "help"}
    envelope = bot.sender.envelope("application.bot.menu_v6", event)
    assert bot.sender.post(envelope).status_code == 200
    bot.wait_for(lambda: bot.platform.ledger.calls("POST", "/open-apis/im/v1/messages"))
    call = bot.platform.ledger.calls("POST", "/open-apis/im/v1/messages")[0]
    assert call.query["receive_id_type"] == "open_id"
    assert call.body["receive_id"] == "ou_menu_user"


def test_a_mistyped_command_gets_did_you_mean(bot: RunningBot) -> None:
    bot.sender.say("/rcaa payments", chat_id="oc_typo")
    reply = card_text(bot.wait_for(lambda: bot.bot_messages("oc_typo"))[0])
    assert "**/rca**" in reply and "/rcaa" in reply
    assert "/forecast" not in reply  # not the whole help card
