"""/diagnose in chat for the webhook, security, events and ConfigMap families: the
namespace card's Details buttons and the kind/name targets (vwc/, cm/, sa/) show each
object's cause; a webhook is judged in the namespace of the Service it calls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.cluster import KubeSimulator
from sandbox.cluster.broken import broken_kinds_world
from tests.fix.conftest import FixEnv, buttons, card_text


@pytest.fixture
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(broken_kinds_world()) as running:
        yield running


def _final(env: FixEnv, chat: str) -> dict:
    def done() -> dict | None:
        sent = env.messages(chat)
        if sent and sent[0].content["header"]["template"] != "wathet":
            return sent[0].content
        return None

    found: dict = env.bot.wait_for(done, 20)
    return found


def test_details_of_a_webhook_and_of_an_events_only_object(env: FixEnv) -> None:
    env.say("/diagnose -n shop", chat="oc_hooks")
    card = _final(env, "oc_hooks")
    text = card_text(card)
    assert "**ValidatingWebhookConfiguration/shop-policy-guard**" in text
    assert "**Service/checkout**" in text and "(SyncLoadBalancerFailed)" in text
    value = next(v for _, v in buttons(card) if v["kind"] == "ValidatingWebhookConfiguration")
    assert value["namespace"] == ""
    env.click(value, env.messages("oc_hooks")[0])
    detail = env.wait_message(lambda m: "failurePolicy=Fail" in card_text(m.content), "oc_hooks")
    assert "calls Service shop/policy-guard, which does not exist" in card_text(detail.content)
    for method in ("PATCH", "POST", "PUT", "DELETE"):
        assert env.sim.requests_to(method) == []


@pytest.mark.parametrize(
    "target, words",
    [
        ("vwc/shop-policy-guard", "calls Service shop/policy-guard, which does not exist"),
        ("cm/legacy-flags -n shop", "ConfigMap legacy-flags has no keys"),
        ("sa/default -n shop", "use the default ServiceAccount and mount its token"),
        ("ds/agent -n shop", "shares the node's namespaces (hostNetwork)"),
        ("job/migrate -n shop", "ServiceAccount migrator used by Job/migrate does not exist"),
    ],
)
def test_kind_targets(env: FixEnv, target: str, words: str) -> None:
    env.say(f"/diagnose {target}", chat="oc_target")
    assert words in card_text(_final(env, "oc_target"))
