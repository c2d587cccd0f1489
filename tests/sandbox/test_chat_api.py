"""The web chat's endpoints: what the page sends becomes a real signed Feishu event, what it
shows is read back from the fake platform's ledger."""

from __future__ import annotations

import json
import re

import httpx

from messages import catalogue, t
from sandbox import Sandbox
from sandbox.people import GROUP_CHAT, P2P_CHAT, PARTNER_OPEN_ID, USER_OPEN_ID
from tests.conftest import drain
from tests.sandbox.conftest import LANG, replies_to, wait_for


def test_page_and_its_assets_are_served(client: httpx.Client) -> None:
    page = client.get("/sandbox")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assets = re.findall(r'(?:src|href)="(/sandbox/static/[^"]+)"', page.text)
    assert len(assets) >= 5
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    assert client.get("/sandbox/static/world.py").status_code == 404
    assert client.get("/sandbox/static/..%2Fworld.py").status_code == 404


def test_info_gives_the_page_its_texts_and_what_is_running(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    info = client.get("/sandbox/api/info").json()
    keys = {k.removeprefix("sandbox.page.") for k in catalogue() if k.startswith("sandbox.page.")}
    assert keys <= set(info["texts"])
    assert info["texts"]["send"] == t("sandbox.page.send", LANG)
    assert info["cluster"] is True
    assert sandbox.metrics is not None and info["metrics"] == sandbox.metrics.engine
    unauthenticated = client.post("/alertmanager", content=b"").status_code
    assert info["alerts"] == (unauthenticated not in (404, 405))


def test_a_command_is_delivered_as_a_signed_event_and_answered_in_thread(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sent = client.post("/sandbox/api/say", json={"chat": "group", "text": "/help"}).json()
    assert sent["status"] == 200
    mine = sandbox.platform.ledger.messages[sent["message_id"]]
    assert mine.sender == USER_OPEN_ID and mine.chat_id == GROUP_CHAT
    reply = wait_for(lambda: replies_to(sandbox, sent["message_id"]))[0]
    assert reply.content["header"]["title"]["content"] == t("help.title", LANG)
    shown = client.get("/sandbox/api/messages", params={"since": mine.seq - 1}).json()
    views = {m["id"]: m for m in shown["messages"]}
    assert views[mine.message_id]["from"] == "user" and views[mine.message_id]["chat"] == "group"
    assert views[reply.message_id]["parent_id"] == mine.message_id
    assert views[reply.message_id]["content"] == reply.content
    assert shown["seq"] >= reply.seq


def test_a_group_message_without_a_mention_does_not_reach_the_bot(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    quiet = client.post("/sandbox/api/say", json={"chat": "group", "text": "lunch anyone?"})
    loud = client.post("/sandbox/api/say", json={"chat": "group", "text": "@bot /help"})
    assert quiet.json()["status"] == loud.json()["status"] == 200
    # The loud one, queued after the quiet one, is the sentinel: once it is answered and
    # the worker queue is empty, the quiet one has been handled to the end.
    wait_for(lambda: replies_to(sandbox, loud.json()["message_id"]))
    assert sandbox.app is not None
    drain(sandbox.app.state.runtime)
    assert replies_to(sandbox, quiet.json()["message_id"]) == []


def test_a_private_question_goes_to_the_assistant(client: httpx.Client, sandbox: Sandbox) -> None:
    sent = client.post(
        "/sandbox/api/say", json={"chat": "p2p", "text": "How do I restart a deployment?"}
    ).json()
    reply = wait_for(lambda: replies_to(sandbox, sent["message_id"]), timeout=30)[0]
    assert reply.chat_id == P2P_CHAT
    view = client.get("/sandbox/api/messages", params={"since": reply.seq - 1}).json()
    assert any(m["id"] == reply.message_id and m["chat"] == "p2p" for m in view["messages"])


def test_patched_cards_come_back_with_a_new_version(client: httpx.Client, sandbox: Sandbox) -> None:
    sent = client.post(
        "/sandbox/api/say", json={"chat": "group", "text": "/rca payments 30m"}
    ).json()
    card = wait_for(
        lambda: [m for m in replies_to(sandbox, sent["message_id"]) if m.versions], timeout=30
    )[0]
    first_seen = card.seq
    view = client.get("/sandbox/api/messages", params={"since": first_seen - 1}).json()
    shown = next(m for m in view["messages"] if m["id"] == card.message_id)
    assert shown["version"] == len(card.versions) >= 1
    assert shown["content"]["header"]["template"] == "red"  # the incident is found
    later = client.get("/sandbox/api/messages", params={"since": view["seq"]}).json()
    assert all(m["id"] != card.message_id for m in later["messages"])


def test_a_click_is_a_real_card_callback_and_returns_its_toast(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sent = client.post("/sandbox/api/say", json={"chat": "group", "text": "/help"}).json()
    card = wait_for(lambda: replies_to(sandbox, sent["message_id"]))[0]
    before = len(sandbox.platform.ledger.calls("POST", "/open-apis/im/v1/messages"))
    answer = client.post(
        "/sandbox/api/click",
        json={"message_id": card.message_id, "value": {"action": "no_such_action"}},
    ).json()
    assert answer["status"] == 200
    assert answer["toast"] == {"type": "warning", "content": t("toast.unknown_action", LANG)}
    known = client.post(
        "/sandbox/api/click",
        json={
            "message_id": card.message_id,
            "value": {"action": "ask", "question": "What is a readiness probe?"},
        },
    ).json()
    assert known["toast"]["content"] == t("toast.received", LANG)
    wait_for(
        lambda: len(sandbox.platform.ledger.calls("POST", "/open-apis/im/v1/messages")) > before
    )


def test_bad_requests_are_refused(client: httpx.Client) -> None:
    assert (
        client.post("/sandbox/api/say", json={"chat": "elsewhere", "text": "x"}).status_code == 422
    )
    assert client.post("/sandbox/api/say", json={"chat": "group", "text": ""}).status_code == 422
    missing = client.post("/sandbox/api/click", json={"message_id": "om_none", "value": {}})
    assert missing.status_code == 404


def test_the_alert_button_posts_to_the_bots_alertmanager_route(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    enabled = client.get("/sandbox/api/info").json()["alerts"]
    before = len(sandbox.platform.ledger.sent(GROUP_CHAT))
    posted = client.post("/sandbox/api/alert")
    if not enabled:
        assert posted.status_code == 404
        return
    assert posted.status_code == 200 and posted.json()["status"] == 200
    wait_for(lambda: len(sandbox.platform.ledger.sent(GROUP_CHAT)) > before)
    card = sandbox.platform.ledger.sent(GROUP_CHAT)[-1].content
    assert "PaymentsHighLatency" in str(card)


def test_a_war_room_the_bot_creates_becomes_a_chat_of_the_page(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sent = client.post(
        "/sandbox/api/say", json={"chat": "group", "text": "/incident start db failover"}
    ).json()
    wait_for(lambda: replies_to(sandbox, sent["message_id"]), timeout=30)
    [room] = client.get("/sandbox/api/messages").json()["rooms"]
    assert room["name"].endswith("db failover") and room["id"].startswith("oc_")
    shown = client.get("/sandbox/api/messages").json()["messages"]
    assert any(m["chat"] == room["id"] and m["from"] == "bot" for m in shown)  # its card

    asked = client.post("/sandbox/api/say", json={"chat": room["id"], "text": "/incident sev 1"})
    assert asked.json()["status"] == 200
    wait_for(lambda: replies_to(sandbox, asked.json()["message_id"]), timeout=30)
    renamed = client.get("/sandbox/api/messages").json()["rooms"][0]
    assert "P1" in renamed["name"]
    nowhere = client.post("/sandbox/api/say", json={"chat": "oc_unknown", "text": "/help"})
    assert nowhere.status_code == 404


def test_the_page_shows_the_demo_teams_rota_as_oncall_answers_it(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    (team,) = client.get("/sandbox/api/oncall").json()["teams"]
    assert team["team"] == "payments"
    assert {team["current"], team["next"]} == {USER_OPEN_ID, PARTNER_OPEN_ID}
    sent = client.post("/sandbox/api/say", json={"chat": "group", "text": "@bot /oncall"}).json()
    reply = wait_for(lambda: replies_to(sandbox, sent["message_id"]))[0]
    shown = json.dumps(reply.content, ensure_ascii=False)
    assert f"<at id={team['current']}></at>" in shown  # the same person, from the same rota
