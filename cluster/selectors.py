"""Label selectors: the ``matchLabels``/``matchExpressions`` form and the URL string form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["selector_matches", "parse_selector_string", "field_matches"]


def selector_matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """A LabelSelector object against labels; an empty selector matches nothing."""
    if not selector:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values")
        present = key in labels
        if operator == "In" and labels.get(key) not in (values or []):
            return False
        if operator == "NotIn" and present and labels[key] in (values or []):
            return False
        if (operator == "Exists") != present and operator in ("Exists", "DoesNotExist"):
            return False
    return True


_TERM = re.compile(r"^\s*([\w./-]+)\s*(==|=|!=| in | notin )\s*(.*?)\s*$")


def parse_selector_string(text: str) -> list[tuple[str, str, list[str]]]:
    """``a=b,c!=d,e in (x,y),f`` → terms; raises ValueError on malformed input."""
    terms: list[tuple[str, str, list[str]]] = []
    for raw in re.split(r",(?![^()]*\))", text):
        if not raw.strip():
            continue
        match = _TERM.match(raw)
        if match is None:
            key = raw.strip().lstrip("!")
            if not re.fullmatch(r"[\w./-]+", key):
                raise ValueError(f"unable to parse requirement: {raw!r}")
            terms.append((key, "!" if raw.strip().startswith("!") else "exists", []))
            continue
        key, operator, value = match.group(1), match.group(2).strip(), match.group(3)
        values = [v.strip() for v in value.strip("()").split(",")] if "in" in operator else [value]
        terms.append((key, "=" if operator == "==" else operator, values))
    return terms


def field_matches(terms: list[tuple[str, str, list[str]]], lookup: Mapping[str, str]) -> bool:
    for key, operator, values in terms:
        actual = lookup.get(key)
        ok = {
            "=": actual == values[0] if values else False,
            "!=": actual != (values[0] if values else None),
            "in": actual in values,
            "notin": actual not in values,
            "exists": actual is not None,
            "!": actual is None,
        }[operator]
        if not ok:
            return False
    return True
