"""/help in-process: the skill's own handler, and the router's answers around it."""

from __future__ import annotations

from bot.registry import UsageError
from messages import t
from tests.skills.chat import FakeChat, card_text


async def test_help_replies_once_with_every_visible_skill(chat: FakeChat) -> None:
    ctx = await chat.handle("/help")
    reply = chat.only()
    assert reply.parent_id == ctx.message.message_id  # a reply to the command, not a post
    assert reply.msg_type == "interactive" and reply.content["schema"] == "2.0"
    assert reply.content["header"]["title"]["content"] == t("help.title", "en-US")
    text = card_text(reply)
    visible = chat.registry.visible()
    assert len(visible) > 10
    for skill in visible:
        assert f"/{skill.name}" in text, skill.name
    hidden = [s for s in chat.registry.skills.values() if s.hidden]
    for skill in hidden:
        assert f"/{skill.name} " not in text, skill.name


async def test_help_follows_the_configured_language(make_chat) -> None:
    chat = make_chat(CLOUDOPS_LANGUAGE="zh-CN")
    await chat.handle("/help")
    assert chat.only().content["header"]["title"]["content"] == t("help.title", "zh-CN")


async def test_help_takes_no_arguments(chat: FakeChat) -> None:
    skill = chat.registry.find("help")
    assert skill is not None
    try:
        skill.parse(["me"])
    except UsageError as exc:
        assert exc.key == "usage.unexpected_arguments" and exc.params == {"args": "me"}
    else:
        raise AssertionError("/help me was accepted")


async def test_an_argument_gets_the_usage_card_and_no_help(chat: FakeChat) -> None:
    await chat.say("/help me please")
    reply = chat.only()
    text = card_text(reply)
    assert "This command takes no arguments: me please" in text
    assert reply.content["header"]["template"] == "orange"
    assert t("help.title", "en-US") not in text


async def test_the_aliases_reach_the_same_skill(chat: FakeChat) -> None:
    await chat.say("/帮助")
    await chat.say("/H")
    replies = chat.sent()
    assert len(replies) == 2
    titles = {m.content["header"]["title"]["content"] for m in replies}
    assert titles == {t("help.title", "en-US")}


async def test_a_near_miss_is_answered_with_a_suggestion(chat: FakeChat) -> None:
    await chat.say("/hlep")
    text = card_text(chat.only())
    assert "/hlep" in text and "Did you mean **/help**?" in text
