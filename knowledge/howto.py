"""How-to questions ("how do I fix X", "怎么解决 X") and the runbook sections that answer them.

A runbook says what to do under headings such as Fix, Resolution, 处理 or 解决; its
Symptoms section only says what it looks like. For a how-to question the passages of
the action sections come first, each document keeping its place in the ranking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.documents import SECTION_SEPARATOR
from knowledge.index.protocol import Hit

__all__ = [
    "ACTION_BONUS",
    "HOW_TO_DEPTH",
    "is_how_to",
    "is_action_section",
    "prefer_actions",
]

HOW_TO_DEPTH = 3  # a how-to question searches this many times deeper, for the Fix sections
ACTION_BONUS = 1.0  # more than any coverage: for a how-to, what to do comes before all else

_HOW_TO = re.compile(
    r"\bhow\b.*\b(fix|resolve|solve|repair|mitigate|recover|handle|troubleshoot|stop)\b"
    r"|\b(fix|resolve|solve|mitigate|troubleshoot)\b"
    r"|(如何|怎么|怎样|咋).*(修复|解决|排查|处理|恢复|处置|搞定)"
    r"|(修复|解决|处理|处置)(方法|办法|步骤|方案)",
    re.IGNORECASE,
)
_ACTION = re.compile(
    r"\b(fix|fixes|resolution|resolve|remediation|mitigation|solution|solutions|workaround)\b"
    r"|处理|解决|修复|处置|恢复|缓解",
    re.IGNORECASE,
)


def is_how_to(question: str) -> bool:
    return bool(_HOW_TO.search(question))


def is_action_section(hit: Hit) -> bool:
    """The passage's own heading (its last title) names an action."""
    heading = hit.section.rsplit(SECTION_SEPARATOR.strip(), 1)[-1]
    return bool(_ACTION.search(heading))


def prefer_actions(hits: Sequence[Hit]) -> list[Hit]:
    """``hits`` with each document's action passages moved up to that document's first
    place: the documents keep their order, within one the Fix section leads."""
    ordered: list[Hit] = []
    placed: set[int] = set()
    for i, hit in enumerate(hits):
        if i in placed:
            continue
        if not is_action_section(hit):
            for j in range(i + 1, len(hits)):
                other = hits[j]
                if j not in placed and other.source == hit.source and is_action_section(other):
                    ordered.append(other)
                    placed.add(j)
        ordered.append(hit)
        placed.add(i)
    return ordered
