"""CSV: each row becomes a ``column: value`` paragraph so it is searchable as prose."""

from __future__ import annotations

import csv
import io

from knowledge.documents import Block

__all__ = ["parse_csv"]


def parse_csv(text: str, fallback_title: str) -> tuple[str, list[Block]]:
    reader = csv.reader(io.StringIO(text))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        return fallback_title, []
    header, records = rows[0], rows[1:]
    paragraphs = [
        "; ".join(
            f"{name.strip()}: {value.strip()}" for name, value in zip(header, row, strict=False)
        )
        for row in records
    ]
    return fallback_title, [Block((), "\n\n".join(paragraphs))] if paragraphs else []
