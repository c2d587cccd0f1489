"""``python -m bot.app.access_table`` prints the access table of the default registry, as
``docs/access.md`` shows it (``bot.access.table``)."""

from __future__ import annotations

from bot.access.table import markdown_table
from bot.app.skills import default_registry

__all__ = ["main"]


def main() -> None:
    print(markdown_table(default_registry()))


if __name__ == "__main__":
    main()
