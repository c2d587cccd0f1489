"""docs/access.md's table of what each command and button needs is the registry's."""

from __future__ import annotations

from pathlib import Path

from bot.access.table import markdown_table
from bot.app.skills import default_registry

DOC = Path(__file__).parents[2] / "docs" / "access.md"


def test_the_documented_table_is_the_registry_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = text.split("<!-- access-table:start -->\n")[1].split("<!-- access-table:end -->")[
        0
    ]
    assert documented.strip() == markdown_table(default_registry()).strip()
