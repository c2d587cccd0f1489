"""Failures of /fix and /diagnose name their real cause on the "working" card itself."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.fix.conftest import FixEnv, card_text
from tests.fix.test_diagnose import _final

METHOD_NAME = re.compile(r"\b(read|list|patch)_[a-z_]+\b")


def test_fix_of_a_missing_deployment_names_it_on_the_working_card(env: FixEnv) -> None:
    env.say("/fix fraud -n default", chat="oc_fraud")
    card = _final(env, "oc_fraud")
    text = card_text(card)
    assert "object not found: Deployment default/fraud" in text
    assert not METHOD_NAME.search(text)
    (message,) = env.messages("oc_fraud")  # the working card was patched, nothing else posted
    assert message.versions[0]["header"]["template"] == "wathet"


def test_diagnose_without_permission_names_verb_and_resource(env: FixEnv) -> None:
    env.sim.inject_fault(r"/namespaces/default/deployments/nginx$", status=403, times=1)
    env.say("/diagnose nginx", chat="oc_denied")
    text = card_text(_final(env, "oc_denied"))
    assert "permission denied" in text and "get deployments" in text
    assert not METHOD_NAME.search(text)
    assert len(env.messages("oc_denied")) == 1


def test_an_unanswering_cluster_says_since_when(make_env: Callable[..., FixEnv]) -> None:
    env = make_env(request_timeout=1)  # the hang outlasts it
    env.sim.inject_fault(r"/namespaces/default/deployments/nginx$", hang=2.0, times=2)
    env.say("/diagnose nginx", chat="oc_hang1")
    first = card_text(_final(env, "oc_hang1"))
    assert "get Deployment default/nginx" in first and "Failing since" in first
    since = re.search(r"Failing since ([^\"]+)", first)
    assert since is not None
    env.say("/diagnose nginx", chat="oc_hang2")
    second = card_text(_final(env, "oc_hang2"))
    assert since.group(0) in second  # the same outage: the same first failure
    env.say("/diagnose nginx", chat="oc_ok")  # the cluster answers again
    _final(env, "oc_ok")
    assert env.bot.runtime.services.outages.since("Kubernetes") is None
