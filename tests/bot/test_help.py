"""Help grouped by task, every registered skill once; near-miss commands get a suggestion."""

from __future__ import annotations

import json

import pytest

from bot.access import Requires, Role
from bot.app.skills import default_registry
from bot.cards.help import OTHER, grouped, help_card, unknown_command_card
from bot.registry import Registry, Skill
from bot.suggestions import closest_skill
from messages import t


async def _noop(_request: object, _ctx: object) -> None:
    return None


def _stray() -> Skill:
    return Skill("zzstray", "help.usage", "help.summary", _noop, access=Requires(Role.viewer))


def test_every_registered_skill_appears_exactly_once() -> None:
    skills = [*default_registry().visible(), _stray()]
    listed = [s.name for _, members in grouped(skills) for s in members]
    assert sorted(listed) == sorted(s.name for s in skills)


def test_a_skill_without_a_group_lands_in_other_and_rca_comes_first() -> None:
    groups = grouped([*default_registry().visible(), _stray()])
    assert groups[0][0] == "investigate" and groups[0][1][0].name == "rca"
    assert groups[-1] == (OTHER, [_stray()])
    names = [g for g, _ in groups]
    assert names.index("investigate") < names.index("fix") < names.index("ask")


@pytest.mark.parametrize("lang", ["zh-CN", "en-US"])
def test_help_card_shows_group_headings_in_order(lang: str) -> None:
    text = json.dumps(help_card(default_registry().visible(), lang), ensure_ascii=False)
    headings = [t(f"help.group.{g}", lang) for g in ("investigate", "fix", "ask", "schedule")]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert text.index("/rca") < text.index("/ask")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("rcaa", "rca"), ("rc", "rca"), ("fx", "fix"), ("diag", "diagnose"), ("forcast", "forecast")],
)
def test_a_near_miss_suggests_the_command(typed: str, meant: str) -> None:
    found = closest_skill(default_registry(), typed)
    assert found is not None and found.name == meant


@pytest.mark.parametrize("typed", ["frobnicate", "deploy", "xyzzy"])
def test_a_far_miss_suggests_nothing(typed: str) -> None:
    assert closest_skill(default_registry(), typed) is None


def test_hidden_skills_are_never_suggested() -> None:
    registry = Registry()
    registry.add_skill(
        Skill(
            "secret", "help.usage", "help.summary", _noop, hidden=True, access=Requires(Role.viewer)
        )
    )
    assert closest_skill(registry, "secre") is None


def test_unknown_command_card_is_short() -> None:
    registry = default_registry()
    near = json.dumps(unknown_command_card("rcaa", closest_skill(registry, "rcaa"), "en-US"))
    assert "Did you mean **/rca**?" in near and "/forecast" not in near
    far = json.dumps(unknown_command_card("frobnicate", None, "en-US"))
    assert "/help" in far and "/rca" not in far
