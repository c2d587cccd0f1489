"""The card validator, rule by rule: one card Feishu accepts and one it refuses."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from bot.cards.validation import card_bytes, card_problems, count_elements

Card = dict[str, Any]


def _plain(text: str) -> dict[str, str]:
    return {"tag": "plain_text", "content": text}


def _card(*elements: dict[str, Any], **extra: Any) -> Card:
    built: Card = {
        "schema": "2.0",
        "config": {"update_multi": True, "width_mode": "fill"},
        "header": {"title": _plain("t"), "template": "blue"},
        "body": {"elements": list(elements)},
    }
    built.update(extra)
    return built


def _button(**props: Any) -> dict[str, Any]:
    return {
        "tag": "button",
        "text": _plain("Go"),
        "behaviors": [{"type": "callback", "value": {"action": "x"}}],
        **props,
    }


def _table(**props: Any) -> dict[str, Any]:
    return {
        "tag": "table",
        "columns": [{"name": "a", "display_name": "A", "data_type": "text"}],
        "rows": [{"a": "1"}],
        **props,
    }


def _chart(**props: Any) -> dict[str, Any]:
    return {"tag": "chart", "chart_spec": {"type": "line", "data": {"values": []}}, **props}


def _form(*elements: dict[str, Any], name: str = "f") -> dict[str, Any]:
    return {"tag": "form", "name": name, "elements": list(elements)}


def _submit(name: str = "ok") -> dict[str, Any]:
    return _button(name=name, form_action_type="submit")


def _input(**props: Any) -> dict[str, Any]:
    return {"tag": "input", "name": "reason", **props}


def _columns(*columns: dict[str, Any], flex_mode: str = "none") -> dict[str, Any]:
    return {"tag": "column_set", "flex_mode": flex_mode, "columns": list(columns)}


def _column(*elements: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"tag": "column", "elements": list(elements), **props}


def _md(content: str, **props: Any) -> dict[str, Any]:
    return {"tag": "markdown", "content": content, **props}


def _panel(*elements: dict[str, Any]) -> dict[str, Any]:
    header = {"title": {"tag": "markdown", "content": "**more**"}}
    return {"tag": "collapsible_panel", "header": header, "elements": list(elements)}


def _with(change: Callable[[Card], None]) -> Card:
    built = _card(_md("x"))
    change(built)
    return built


def _nested(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = _md("deep")
    for _ in range(depth - 1):
        node = _panel(node)
    return node


# (rule, a card that follows it, a card that breaks it)
CASES: list[tuple[str, Card, Card]] = [
    ("schema 2.0", _card(_md("x")), _card(_md("x"), schema="1.0")),
    ("no unknown top-level key", _card(_md("x")), _card(_md("x"), i18n_elements={})),
    (
        "update_multi true",
        _card(_md("x")),
        _with(lambda c: c["config"].update(update_multi=False)),
    ),
    ("width_mode enum", _card(_md("x")), _with(lambda c: c["config"].update(width_mode="wide"))),
    ("header title required", _card(_md("x")), _with(lambda c: c["header"].pop("title"))),
    ("header template enum", _card(_md("x")), _with(lambda c: c["header"].update(template="pink"))),
    ("header needs no more", _card(_md("x")), _with(lambda c: c["header"].update(colour="red"))),
    ("a header is optional", {"schema": "2.0", "body": {"elements": [_md("x")]}}, {"body": {}}),
    ("margin is documented", _card(_md("x", margin="4px 0")), _card(_md("x", bogus=1))),
    ("action block removed in 2.0", _card(_button()), _card({"tag": "action", "actions": []})),
    ("note removed in 2.0", _card(_md("x")), _card({"tag": "note", "elements": []})),
    ("button type enum", _card(_button(type="danger_text")), _card(_button(type="warning"))),
    ("button size enum", _card(_button(size="tiny")), _card(_button(size="huge"))),
    ("button width", _card(_button(width="120px")), _card(_button(width="50px"))),
    (
        "button text 100 characters",
        _card(_button(text=_plain("x" * 100))),
        _card(_button(text=_plain("x" * 101))),
    ),
    (
        "callback values are objects",
        _card(_button()),
        _card(_button(behaviors=[{"type": "callback", "value": "x"}])),
    ),
    (
        "confirm has plain_text title and text",
        _card(_button(confirm={"title": _plain("Sure?"), "text": _plain("Really")})),
        _card(_button(confirm={"title": _plain("Sure?")})),
    ),
    (
        "column_set flex_mode enum",
        _card(_columns(_column(_md("a")), flex_mode="trisect")),
        _card(_columns(_column(_md("a")), flex_mode="grid")),
    ),
    (
        "column weight 1-5",
        _card(_columns(_column(_md("a"), width="weighted", weight=5))),
        _card(_columns(_column(_md("a"), width="weighted", weight=6))),
    ),
    (
        "column width",
        _card(_columns(_column(_md("a"), width="120px"))),
        _card(_columns(_column(_md("a"), width="wide"))),
    ),
    ("table page_size 1-10", _card(_table(page_size=10)), _card(_table(page_size=11))),
    ("table row_height", _card(_table(row_height="middle")), _card(_table(row_height="tall"))),
    (
        "table data_type markdown is documented",
        _card(_table(columns=[{"name": "a", "data_type": "markdown"}])),
        _card(_table(columns=[{"name": "a", "data_type": "html"}])),
    ),
    (
        "table rows use declared columns",
        _card(_table()),
        _card(_table(rows=[{"a": "1", "b": "2"}])),
    ),
    ("at most 5 tables", _card(*[_table()] * 5), _card(*[_table()] * 6)),
    ("tables only at the root", _card(_table()), _card(_panel(_table()))),
    (
        "chart aspect_ratio enum",
        _card(_chart(aspect_ratio="4:3")),
        _card(_chart(aspect_ratio="3:2")),
    ),
    (
        "chart color_theme enum",
        _card(_chart(color_theme="rainbow")),
        _card(_chart(color_theme="neon")),
    ),
    ("chart height", _card(_chart(height="300px")), _card(_chart(height="1000px"))),
    ("at most 5 charts", _card(*[_chart()] * 5), _card(*[_chart()] * 6)),
    (
        "chart spec without functions",
        _card(_chart(chart_spec={"type": "line", "label": {"formatter": "{value}"}})),
        _card(_chart(chart_spec={"type": "line", "label": {"formatter": "function(d){return d}"}})),
    ),
    ("forms only at the root", _card(_form(_submit())), _card(_panel(_form(_submit())))),
    ("a form has a submit button", _card(_form(_submit())), _card(_form(_input()))),
    (
        "names are unique",
        _card(_form(_input(), _submit()), _form(_submit("ok2"), name="g")),
        _card(_form(_input(), _submit()), _form(_submit(), name="g")),
    ),
    (
        "form elements are named",
        _card(_form(_input(), _submit())),
        _card(_form({"tag": "input"}, _submit())),
    ),
    (
        "input max_length 1-1000",
        _card(_form(_input(max_length=1000), _submit())),
        _card(_form(_input(max_length=1001), _submit())),
    ),
    (
        "input placeholder 100 characters",
        _card(_form(_input(placeholder=_plain("p" * 100)), _submit())),
        _card(_form(_input(placeholder=_plain("p" * 101)), _submit())),
    ),
    (
        "panel title is plain_text or markdown",
        _card(_panel(_md("x"))),
        _card({"tag": "collapsible_panel", "header": {}, "elements": []}),
    ),
    ("nesting at most 5", _card(_nested(5)), _card(_nested(6))),
    ("markdown needs content", _card(_md("x")), _card({"tag": "markdown"})),
    (
        "markdown allows only documented tags",
        _card(_md("<font color='red'>x</font><br><at id=ou_1></at>")),
        _card(_md("hello <script>alert(1)</script>")),
    ),
    (
        "any other <word> is flagged",
        _card(_md("usage: /fix &#60;deployment&#62;")),
        _card(_md("usage: /fix <deployment>")),
    ),
    ("no mention of everyone", _card(_md("<at id=ou_1></at>")), _card(_md("<at id=all></at>"))),
    (
        "links are http(s)",
        _card(_md("[docs](https://open.feishu.cn)")),
        _card(_md("[x](javascript:alert(1))")),
    ),
    (
        "tag links are http(s)",
        _card(_md("<a href='https://x.io'>x</a>")),
        _card(_md("<a href='file:///etc/passwd'>x</a>")),
    ),
    ("code shows tags literally", _card(_md("`/fix <deployment>`")), _card(_md("/fix <x>"))),
    ("200 elements", _card(*[_md("x")] * 198), _card(*[_md("x")] * 200)),
    (
        "plain_text objects count as elements",
        _card(*[_button()] * 99),  # 99 buttons, 99 texts, the title: 199
        _card(*[_button()] * 100),  # 201
    ),
    ("30 KB as sent", _card(_md("x" * 30_000)), _card(_md("x" * 30_800))),
    ("CJK counts 3 bytes", _card(_md("中" * 10_000)), _card(_md("中" * 10_300))),
]


@pytest.mark.parametrize(("rule", "good", "bad"), CASES, ids=[c[0] for c in CASES])
def test_rule(rule: str, good: Card, bad: Card) -> None:
    assert card_problems(copy.deepcopy(good)) == []
    assert card_problems(copy.deepcopy(bad)) != []


def test_elements_count_texts_titles_and_placeholders() -> None:
    confirm = {"title": _plain("a"), "text": _plain("b")}
    built = _card(_button(confirm=confirm), _form(_input(placeholder=_plain("p")), _submit()))
    # header title; button, its text, confirm title and text; form; input, placeholder;
    # submit button and its text
    assert count_elements(built) == 1 + 4 + 1 + 2 + 2


def test_size_is_utf8_bytes_of_the_compact_json() -> None:
    small = _card(_md("a"))
    cjk = _card(_md("中"))
    assert card_bytes(cjk) - card_bytes(small) == 2
