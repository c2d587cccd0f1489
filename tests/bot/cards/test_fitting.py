"""Fitting a card into the send budget: shrink what is biggest, else a fallback card."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.cards.card import card
from bot.cards.cutting import cut_bytes, utf8_len
from bot.cards.elements import chart, markdown, table
from bot.cards.fitting import BUDGET_BYTES, BUDGET_ELEMENTS, fit_card
from bot.cards.validation import card_bytes, card_problems, count_elements

_COUNT = re.compile(r"(\d+)")


def _within_budget(built: dict[str, Any]) -> None:
    assert card_problems(built) == []
    assert card_bytes(built) <= BUDGET_BYTES
    assert count_elements(built) <= BUDGET_ELEMENTS


def _note_count(built: dict[str, Any]) -> int:
    notes = [e["content"] for e in built["body"]["elements"] if e.get("text_size") == "notation"]
    assert notes, "a shortened card says what it left out"
    return int(_COUNT.findall(notes[-1])[0])


def test_a_card_within_budget_goes_out_unchanged() -> None:
    built = card("Title", [markdown("**hello**")])
    fitted = fit_card(built)
    assert fitted.outcome == "fits"
    assert fitted.card == built


def test_a_huge_chart_is_thinned_and_keeps_every_series_ends() -> None:
    values = [
        {"time": f"t{i:04d}", "value": i % 97, "series": s} for s in "abc" for i in range(2000)
    ]
    built = card("Chart", [chart({"type": "line", "data": {"values": values}})])
    fitted = fit_card(built)
    assert fitted.outcome == "shrunk"
    _within_budget(fitted.card)
    kept = fitted.card["body"]["elements"][0]["chart_spec"]["data"]["values"]
    for series in "abc":
        times = [p["time"] for p in kept if p["series"] == series]
        assert times[0] == "t0000" and times[-1] == "t1999"


def test_a_long_list_is_cut_at_whole_lines_with_a_count_of_the_rest() -> None:
    lines = [f"- item {i} with some words to make it longer" for i in range(1500)]
    fitted = fit_card(card("List", [markdown("\n".join(lines))]))
    _within_budget(fitted.card)
    content = fitted.card["body"]["elements"][0]["content"].split("\n")
    shown = [line for line in content if line.startswith("- item")]
    assert shown == lines[: len(shown)]
    assert len(shown) + int(_COUNT.findall(content[-1])[0]) == len(lines)


def test_long_cjk_text_is_cut_by_bytes_at_a_sentence_end() -> None:
    sentence = "支付服务的延迟在发布之后明显升高。"
    text = sentence * 1200  # 61 KB
    fitted = fit_card(card("回答", [markdown(text)]))
    _within_budget(fitted.card)
    kept = fitted.card["body"]["elements"][0]["content"]
    assert kept.endswith("。…")
    assert text.startswith(kept.removesuffix("…"))


def test_a_long_table_keeps_its_first_rows_and_says_how_many_are_left() -> None:
    rows = [{"pod": f"payments-{i}-" + "x" * 40, "state": "Running"} for i in range(3000)]
    built = card("Pods", [table([("pod", "Pod", "text"), ("state", "State", "text")], rows)])
    fitted = fit_card(built)
    _within_budget(fitted.card)
    kept = fitted.card["body"]["elements"][0]["rows"]
    assert kept == rows[: len(kept)]
    assert len(kept) + _note_count(fitted.card) == len(rows)


def test_too_many_elements_keep_the_leading_ones_and_count_the_rest() -> None:
    built = card("Many", [markdown(f"line {i}") for i in range(300)])
    fitted = fit_card(built)
    _within_budget(fitted.card)
    shown = [e for e in fitted.card["body"]["elements"] if e["content"].startswith("line")]
    assert [e["content"] for e in shown] == [f"line {i}" for i in range(len(shown))]
    assert len(shown) + _note_count(fitted.card) == 300


def test_a_card_breaking_a_rule_becomes_a_small_fallback_card() -> None:
    built = card("Alert", [markdown("first line <script>x</script>"), {"tag": "note"}])
    built["header"]["template"] = "red"
    fitted = fit_card(built)
    assert fitted.outcome == "fallback"
    _within_budget(fitted.card)
    assert fitted.card["header"]["title"]["content"] == "Alert"
    assert fitted.card["header"]["template"] == "red"
    texts = [e["content"] for e in fitted.card["body"]["elements"]]
    assert texts[0].startswith("first line")
    assert "shortened" in texts[-1]


def test_the_original_card_is_left_alone() -> None:
    built = card("Many", [markdown(f"line {i}") for i in range(300)])
    fit_card(built)
    assert len(built["body"]["elements"]) == 300


@pytest.mark.parametrize("limit", [10, 11, 12, 100, 1001])
def test_cut_bytes_respects_the_limit_and_never_splits_a_character(limit: int) -> None:
    text = "字a。" * 500
    kept = cut_bytes(text, limit)
    assert utf8_len(kept) <= limit
    kept.encode("utf-8").decode("utf-8")  # a split character would raise here
    assert text.startswith(kept.removesuffix("…"))


@pytest.mark.parametrize(
    "malformed",
    [
        {"schema": "2.0", "header": "title", "body": ["x"]},
        {"schema": "2.0", "body": {"elements": [{"tag": "button", "behaviors": "x"}]}},
        {"schema": "2.0", "body": {"elements": [{"tag": "table", "columns": 3, "rows": [1]}]}},
        {"schema": "2.0", "config": "fill", "body": {"elements": "markdown"}},
    ],
)
def test_even_a_malformed_card_becomes_a_valid_fallback(malformed: dict[str, Any]) -> None:
    fitted = fit_card(malformed)
    assert fitted.outcome == "fallback"
    assert card_problems(fitted.card) == []
