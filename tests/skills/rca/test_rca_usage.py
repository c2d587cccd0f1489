"""/rca in-process: bad arguments get the usage card, and Prometheus failures an error
card on the "working" card, with nothing else posted."""

from __future__ import annotations

import pytest

from bot.app.capabilities import prometheus_capability
from bot.registry import UsageError
from messages import t
from skills.rca import parse
from tests.skills.chat import FakeChat, card_text


@pytest.mark.parametrize(
    ("args", "key", "params"),
    [
        ([], "usage.missing_argument", {"name": "service"}),
        (["payments", "30m", "extra"], "usage.too_many_arguments", {"args": "extra"}),
        (["Bad_Name"], "usage.bad_name", {"value": "Bad_Name"}),
        (["payments", "30x"], "usage.bad_window", {"value": "30x"}),
        (["payments", "-n"], "usage.missing_option_value", {"option": "-n"}),
    ],
)
def test_each_bad_input_names_its_problem(args: list[str], key: str, params: dict) -> None:
    with pytest.raises(UsageError) as raised:
        parse(args)
    assert raised.value.key == key
    assert raised.value.params == params


def test_a_good_request_is_parsed() -> None:
    request = parse(["Payments", "2h", "-n", "shop"])
    assert (request.service, request.window_text, request.namespace) == ("payments", "2h", "shop")
    assert request.window.total_seconds() == 7200
    assert parse(["payments"]).window_text == "30m"


@pytest.mark.parametrize(
    "args", ["", "payments 30x", "payments 30m extra", "payments 1s", "payments 30m -n", "Bad_Name"]
)
async def test_malformed_rca_gets_a_usage_card(chat: FakeChat, args: str) -> None:
    await chat.say(f"/rca {args}")
    card = chat.only().content
    assert card["header"]["template"] == "orange"
    assert "/rca <service>" in card_text(chat.only())


async def test_without_prometheus_the_working_card_says_it_is_not_configured(
    chat: FakeChat,
) -> None:
    await chat.say("/rca payments")
    card = chat.only()  # the working card, patched: no second message
    assert card.versions and card.versions[0]["header"]["template"] == "wathet"
    header = card.content["header"]
    assert header["template"] == "carmine"  # an error, not a verdict
    assert header["title"]["content"] == t("card.error.title", "en-US", dependency="Prometheus")
    assert "PROMETHEUS_URL" in card_text(card)


async def test_an_unreachable_prometheus_is_named_on_the_working_card(make_chat) -> None:
    chat = make_chat(capabilities=[prometheus_capability], PROMETHEUS_URL="http://127.0.0.1:9")
    await chat.say("/rca payments")
    card = chat.only()
    text = card_text(card)
    assert card.versions and "Prometheus" in text and "unreachable" in text
    assert chat.services.outages.failed("Prometheus", chat.services.clock()) is not None
