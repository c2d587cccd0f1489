"""Find the metric names and grouping labels in a PromQL expression (test support)."""

from __future__ import annotations

import re

__all__ = ["metric_names", "grouping_labels"]

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_CLAUSES = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
_IDENT = re.compile(r"(?<![\w:.$])[A-Za-z_:][\w:]*")
_CALL = re.compile(r"\s*\(")
_KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
    "and", "or", "unless", "offset", "inf", "nan", "atan2",
}  # fmt: skip


def _strip(expr: str) -> str:
    expr = _STRINGS.sub('""', expr)
    expr = _MATCHERS.sub(" ", expr)
    expr = _RANGES.sub(" ", expr)
    return _CLAUSES.sub(" ", expr)


def metric_names(expr: str) -> set[str]:
    """Identifiers that stand for series selectors (not functions, keywords or labels)."""
    text = _strip(expr)
    names = set()
    for match in _IDENT.finditer(text):
        is_call = _CALL.match(text, match.end()) is not None
        if not is_call and match.group().lower() not in _KEYWORDS:
            names.add(match.group())
    return names


def grouping_labels(expr: str) -> set[str]:
    """Labels named in by(...) / without(...) clauses."""
    labels: set[str] = set()
    for keyword, names in _CLAUSES.findall(_STRINGS.sub('""', expr)):
        if keyword in ("by", "without"):
            labels.update(n.strip() for n in names.split(",") if n.strip())
    return labels
