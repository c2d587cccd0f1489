"""A parser for the small PromQL subset the signal catalogue uses (the no-Prometheus
fallback of the sandbox): selectors with matchers and ranges, ``sum [by (...)]``,
``rate``, ``increase``, ``histogram_quantile``, ``vector``, ``/`` and ``or``."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Node",
    "Number",
    "Selector",
    "Call",
    "Sum",
    "Binary",
    "parse",
    "FUNCTIONS",
    "duration_seconds",
]

FUNCTIONS = ("rate", "increase", "histogram_quantile", "vector")
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<dur>\[(?:\d+[smhd])+\])|(?P<str>\"(?:[^\"\\]|\\.)*\")"
    r"|(?P<op>=~|!~|!=|=|[(){},/])|(?P<id>[A-Za-z_:][\w:]*))"
)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Selector:
    name: str
    matchers: tuple[tuple[str, str, str], ...]
    range_seconds: float | None = None


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Sum:
    by: tuple[str, ...] | None
    expr: Node


@dataclass(frozen=True)
class Binary:
    op: str  # "/" or "or"
    left: Node
    right: Node


Node = Number | Selector | Call | Sum | Binary


def duration_seconds(text: str) -> float:
    return float(sum(int(n) * _UNITS[u] for n, u in re.findall(r"(\d+)([smhd])", text)))


def _tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"unexpected character at {position}: {text[position:][:20]!r}")
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> str:
        kind, text = self.peek()
        if kind == "end" or (value is not None and text != value):
            raise ValueError(f"expected {value or 'more input'}, found {text or 'end'!r}")
        self.at += 1
        return text

    def expr(self) -> Node:
        left = self.quotient()
        while self.peek() == ("id", "or"):
            self.take()
            left = Binary("or", left, self.quotient())
        return left

    def quotient(self) -> Node:
        left = self.atom()
        while self.peek() == ("op", "/"):
            self.take()
            left = Binary("/", left, self.atom())
        return left

    def labels(self) -> tuple[str, ...]:
        self.take("(")
        names = [self.take()]
        while self.peek()[1] == ",":
            self.take(",")
            names.append(self.take())
        self.take(")")
        return tuple(names)

    def atom(self) -> Node:
        kind, text = self.peek()
        if kind == "num":
            self.take()
            return Number(float(text))
        if text == "(":
            self.take("(")
            inner = self.expr()
            self.take(")")
            return inner
        if kind == "id" and text == "sum":
            self.take()
            by = None
            if self.peek() == ("id", "by"):
                self.take()
                by = self.labels()
            self.take("(")
            inner = self.expr()
            self.take(")")
            return Sum(by, inner)
        if kind == "id" and text in FUNCTIONS:
            self.take()
            self.take("(")
            args = [self.expr()]
            while self.peek()[1] == ",":
                self.take(",")
                args.append(self.expr())
            self.take(")")
            return Call(text, tuple(args))
        if kind == "id" or text == "{":
            return self.selector()
        raise ValueError(f"unexpected {text or 'end'!r}")

    def selector(self) -> Selector:
        name = self.take() if self.peek()[0] == "id" else ""
        matchers: list[tuple[str, str, str]] = []
        if self.peek()[1] == "{":
            self.take("{")
            while self.peek()[1] != "}":
                label, op, value = self.take(), self.take(), self.take()
                if op not in ("=", "!=", "=~", "!~") or not value.startswith('"'):
                    raise ValueError(f"bad matcher {label}{op}{value}")
                matchers.append((label, op, value[1:-1].replace('\\"', '"')))
                if self.peek()[1] == ",":
                    self.take(",")
            self.take("}")
        kind, text = self.peek()
        seconds = None
        if kind == "dur":
            self.take()
            seconds = duration_seconds(text)
        if not name and not matchers:
            raise ValueError("empty selector")
        return Selector(name, tuple(matchers), seconds)


def parse(text: str) -> Node:
    """The syntax tree of ``text``; ValueError naming the problem when outside the subset."""
    parser = _Parser(text)
    node = parser.expr()
    if parser.peek()[0] != "end":
        raise ValueError(f"unexpected {parser.peek()[1]!r} after the expression")
    return node
