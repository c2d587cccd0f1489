"""Every registered command and button × every role → allowed or refused, through the
router's own check (``bot.access.guard.admitted``) on real state, against a table
written here from the rules. Enumerated from the live registry: a new skill or button
without an entry here fails."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.access import Role
from bot.access.guard import admitted
from bot.access.table import rows
from bot.app.skills import default_registry
from bot.cards.alert import AlertView
from bot.context import ActionContext, Context
from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.registry import Registry
from bot.services import Services
from bot.state import Store, open_store
from config.settings import load_settings
from sandbox.feishu import FakePlatform
from skills.alerts.state import AlertRecord, save_record

V, OP, A, ADMIN = Role.viewer, Role.operator, Role.approver, Role.admin
# What each entry needs, from the rules: reads need viewer, /audit all admin; state
# changes outside the cluster (silence, ack, knowledge, subscriptions) operator; plan
# decisions approver. Proposing a plan is a read: nothing changes until it is approved.
EXPECTED: dict[str, Role | None] = {  # None: anyone (how people learn their ids)
    "/help": V,
    "/whoami": None,
    "/setup": A,
    "/cluster": V,
    "/cluster use": ADMIN,
    "button `setup_rerun`": A,
    "/ask": V,
    "/new": V,
    "/kb list": V,
    "/kb refresh": OP,
    "/kb add": OP,
    "/research": V,
    "/rca": V,
    "/diagnose": V,
    "/logs": V,
    "/fix": V,
    "/audit": V,
    "/audit all": ADMIN,
    "/forecast": V,
    "/subscribe": OP,
    "/subscriptions": V,
    "/subscriptions run": OP,
    "/unsubscribe": OP,
    "button `ask`": V,
    "button `ask_web`": V,
    "button `diagnose`": V,
    "button `propose_fix`": V,
    "button `propose_scaling`": V,
    "button `approve_plan`": A,
    "button `reject_plan`": A,
    "button `undo_plan`": A,
    "/oncall": V,
    "/oncall swap": OP,
    "/oncall override": OP,
    "/alerts": V,
    "/silences": V,
    "/incident": V,
    "/incident start": OP,
    "/incident status": V,
    "/incident sev": OP,
    "/incident assign": OP,
    "/incident note": OP,
    "/incident resolve": OP,
    "button `incident_start`": OP,
    "button `silence_expire`": OP,
    "button `alert_ack`": OP,
    "button `alert_silence`": OP,
    "button `alert_rca`": V,
    "button `diagnose_object`": V,
}
NAMESPACED = {  # entries that touch the namespace "payments" in the samples below
    "/rca",
    "/diagnose",
    "/logs",
    "/fix",
    "/forecast",
    "/subscribe",
    "button `diagnose`",
    "button `propose_fix`",
    "button `propose_scaling`",
    "button `approve_plan`",
    "button `reject_plan`",
    "button `undo_plan`",
    "button `alert_ack`",
    "button `alert_silence`",
    "button `alert_rca`",
    "button `incident_start`",
    "button `diagnose_object`",
    "button `silence_expire`",  # a silence naming no namespace needs a grant for "*"
}
COMMAND_ARGS = {
    "/help": [],
    "/whoami": [],
    "/setup": [],
    "/cluster": [],
    "/cluster use": ["use", "default"],
    "/ask": ["why"],
    "/new": [],
    "/kb list": ["list"],
    "/kb refresh": ["refresh"],
    "/kb add": ["add"],
    "/research": ["why"],
    "/rca": ["payments"],
    "/diagnose": ["-n", "payments"],
    "/logs": ["api", "-n", "payments"],
    "/fix": ["api", "-n", "payments"],
    "/audit": [],
    "/audit all": ["all"],
    "/forecast": ["payments"],
    "/subscribe": ["forecast", "payments"],
    "/subscriptions": [],
    "/subscriptions run": ["run", "sub_1"],
    "/unsubscribe": ["sub_1"],
    "/oncall": [],
    "/alerts": [],
    "/silences": [],
    "/incident": ["timeline"],
    "/incident start": ["start", "db", "down", "--sev", "2"],
    "/incident status": ["status"],
    "/incident sev": ["sev", "1"],
    "/incident assign": ["assign", "ou_a"],
    "/incident note": ["note", "failover", "done"],
    "/incident resolve": ["resolve"],
    "/oncall swap": ["swap", "ou_a", "ou_b"],
    "/oncall override": ["override", "ou_a", "2h"],
}
USER, CHAT = "ou_tester", "oc_tester"


def _config(tmp_path: Path, grants: list[dict[str, Any]]) -> str:
    path = tmp_path / "config.yaml"
    config = {
        "prometheus": {"services": {"payments": {"namespace": "payments"}}},
        "access": {"reads": "members", "grants": grants},
    }
    path.write_text(json.dumps(config), encoding="utf-8")
    return str(path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    yield opened
    opened.close()


def _button_values(store: Store) -> dict[str, dict[str, Any]]:
    """A plan and an alert card in ``CHAT``, namespace payments, and the buttons on them."""
    plan = asyncio.run(
        store.approvals.propose(
            kind="fix",
            payload="{}",
            payload_hash="h" * 64,
            namespace="payments",
            target="api",
            chat_id=CHAT,
            proposed_by="ou_someone_else",
            ttl=timedelta(hours=1),
        )
    )
    view = AlertView("g1", "firing", "HighLatency", "critical", {}, {}, [], namespace="payments")
    asyncio.run(save_record(store, AlertRecord(CHAT, "om_alert", view)))
    on_plan, on_alert = {"plan_id": plan.id}, {"key": "g1"}
    target = {"namespace": "payments", "deployment": "api"}
    return {
        "button `ask`": {"question": "why"},
        "button `ask_web`": {"question": "why"},
        "button `diagnose`": target,
        "button `propose_fix`": target,
        "button `propose_scaling`": {**target, "replicas": 3},
        "button `approve_plan`": on_plan,
        "button `reject_plan`": on_plan,
        "button `undo_plan`": on_plan,
        "button `alert_ack`": on_alert,
        "button `alert_silence`": on_alert,
        "button `incident_start`": on_alert,
        "button `alert_rca`": {"service": "payments", "namespace": "payments"},
        "button `diagnose_object`": {"namespace": "payments", "kind": "Service", "name": "api"},
        "button `setup_rerun`": {},
        "button `silence_expire`": {"silence_id": "0b7e4c52-0000-4000-8000-000000000000"},
    }


def _allowed(
    registry: Registry, services: Services, platform: FakePlatform, name: str, value: Any
) -> bool:
    """The router's check; a refusal must also be answered in the chat (the fake platform)."""
    before = len(platform.ledger.sent())
    if name.startswith("/"):
        skill = registry.skills[name.split()[0][1:]]
        ctx: Any = Context(services, CHAT, USER, f"k{before}")
        allowed = asyncio.run(admitted(skill.access, skill.parse(value), ctx, name, ctx.send))
    else:
        action = name.split("`")[1]
        ctx = ActionContext(services, CHAT, USER, f"k{before}")
        rule = registry.action_rules[action]
        allowed = asyncio.run(admitted(rule, value, ctx, action, ctx.send))
    answered = len(platform.ledger.sent()) > before
    assert answered is not allowed, name
    return allowed


def _services(settings: Any, store: Store, platform: FakePlatform) -> Services:
    # Every refusal is answered in the one test chat: unpaced, or each would wait 0.2 s.
    messenger = Messenger.create(
        platform.app_id, platform.app_secret, platform.url, Metrics(), chat_qps=1000
    )
    return Services(settings, store, messenger, Metrics())


def test_every_registered_entry_is_in_the_expected_table() -> None:
    assert {name for name, _ in rows(default_registry())} == set(EXPECTED)


def _decisions(
    grants: list[dict[str, Any]], tmp_path: Path, store: Store, platform: FakePlatform
) -> Iterator[tuple[str, bool]]:
    """(entry, allowed?) for every registered command and button, through the router's
    check, for the tester under ``grants``."""
    settings = load_settings({"CLOUDOPS_CONFIG": _config(tmp_path, grants)})
    services = _services(settings, store, platform)
    registry = default_registry()
    values = _button_values(store)
    for name, _ in rows(registry):
        value = COMMAND_ARGS[name] if name.startswith("/") else values[name]
        yield name, _allowed(registry, services, platform, name, value)


@pytest.mark.parametrize("held", [None, *Role], ids=lambda r: r.name if r else "none")
def test_each_role_gets_exactly_what_the_rules_give_it(
    held: Role | None, tmp_path: Path, store: Store, platform: FakePlatform
) -> None:
    grants = [] if held is None else [{"role": held.name, "open_ids": [USER]}]
    grants.append({"role": "admin", "open_ids": ["ou_somebody_else"]})  # not the tester
    for name, allowed in _decisions(grants, tmp_path, store, platform):
        needed = EXPECTED[name]
        expected = needed is None or (held is not None and held >= needed)
        assert allowed is expected, (name, held)


@pytest.mark.parametrize("held", list(Role), ids=lambda r: r.name)
def test_a_role_in_another_namespace_allows_nothing_in_this_one(
    held: Role, tmp_path: Path, store: Store, platform: FakePlatform
) -> None:
    grants = [{"role": held.name, "chat_ids": [CHAT], "namespaces": ["shop"]}]
    for name, allowed in _decisions(grants, tmp_path, store, platform):
        needed = EXPECTED[name]
        expected = needed is None or (name not in NAMESPACED and held >= needed)
        assert allowed is expected, (name, held)
