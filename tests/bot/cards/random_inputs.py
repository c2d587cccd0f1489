"""Seeded random but realistic inputs for card builders: long names, 2-hour windows at
15 s resolution, dozens of services, CJK text at every cap, hostile markdown."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

HOSTILE = [
    "<at id=all></at>",
    "<at ids=all></at>",
    "[x](javascript:alert(1))",
    "[click](file:///etc/passwd)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</font><font color='red'>",
    "`code <at id=all>`",
    "```\n<script>\n",
    "![img](javascript:x)",
    "<a href='javascript:alert(1)'>a</a>",
    "<link url='ftp://x'>l</link>",
    "**bold** _it_ ~~s~~",
    "> quote",
    "[[1]](https://example.com/a_(b))",
    "&#60;at id=all&#62;",
    "\\",
]
CJK = "支付服务在发布后延迟升高，数据库连接池被耗尽。请检查最近的变更并回滚。"
WORDS = ["the", "payments", "ledger", "latency", "rose", "after", "the", "rollout;", "check", "the"]
WORDS += ["pool", "and", "roll", "back"]
TIMEZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Asia/Kolkata"]
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


class Inputs:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def chance(self, p: float = 0.5) -> bool:
        return self.rng.random() < p

    def count(self, high: int, low: int = 0) -> int:
        """Often small, sometimes the maximum."""
        return high if self.chance(0.3) else self.rng.randint(low, high)

    def text(self, cap: int) -> str:
        """Up to ``cap`` characters (often exactly ``cap``) of mixed prose, CJK, bullets,
        code and hostile markdown."""
        parts: list[str] = []
        size = 0
        target = cap if self.chance(0.4) else self.rng.randint(0, cap)
        while size < target:
            kind = self.rng.random()
            if kind < 0.3:
                piece = CJK
            elif kind < 0.55:
                piece = " ".join(self.rng.choices(WORDS, k=8)) + ". "
            elif kind < 0.75:
                piece = self.rng.choice(HOSTILE)
            elif kind < 0.9:
                piece = "\n- " + self.rng.choice([CJK, " ".join(WORDS)])
            else:
                piece = "\n\n"
            parts.append(piece)
            size += len(piece)
        return "".join(parts)[:cap]

    def name(self) -> str:
        if self.chance(0.15):
            return self.text(60) or "x"
        base = "-".join(self.rng.choices(["payments", "ledger", "api", "gateway", "fraud"], k=3))
        if self.chance(0.3):
            base += "-" + "very-long-name" * self.rng.randint(1, 12)
        return f"{base}-7d9f8c6b5-x2k4q"

    def url(self) -> str:
        return self.rng.choice(
            ["https://docs.example.com/a", "javascript:alert(1)", "http://x.io/(y)", "ftp://f", ""]
        )

    def timezone(self) -> str:
        return self.rng.choice(TIMEZONES)

    def window(self) -> tuple[datetime, int]:
        """A window end and its number of 15 s steps (up to 2 hours)."""
        minutes = self.rng.choice([5, 15, 29, 35, 60, 75, 120])
        return NOW - timedelta(minutes=minutes), minutes * 4
