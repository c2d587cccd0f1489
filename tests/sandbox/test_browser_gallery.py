"""The card gallery in headless Chromium, in both languages: every builder's sample card is
on the page, rendered by the web chat's own renderer, and a full-page screenshot is taken.

The screenshots go to docs/cards/gallery-<lang>.png when CLOUDOPS_UPDATE_SCREENSHOT=1 (so
ordinary runs leave the checkout clean)."""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Any

import pytest

from messages import LANGUAGES, t
from sandbox import Sandbox
from sandbox.gallery_samples import gallery_cards
from tests.sandbox.test_gallery_samples import builders

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cards"
WIDTH = 1280


def tags(node: Any) -> list[str]:
    """Every element tag in a card, depth first."""
    if isinstance(node, dict):
        own = [node["tag"]] if isinstance(node.get("tag"), str) else []
        return own + [tag for value in node.values() for tag in tags(value)]
    if isinstance(node, list):
        return [tag for value in node for tag in tags(value)]
    return []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_gallery_shows_every_builder(
    browser: Any, sandbox: Sandbox, lang: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{sandbox.url}/sandbox/gallery?lang={lang}")
    page.wait_for_selector("body[data-ready='1']")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("#gallery-title").inner_text() == t("sandbox.page.gallery_title", lang)
    items = page.locator("figure.gallery-item")
    shown = items.evaluate_all("nodes => nodes.map(n => n.dataset.builder)")
    assert builders() <= set(shown)
    expected = gallery_cards(lang)
    assert items.count() == len(expected)
    for i, entry in enumerate(expected):  # each card's own title, in this language
        item = items.nth(i)
        assert item.get_attribute("data-builder") == entry.builder
        title = entry.card["header"]["title"]["content"]
        assert item.locator(".card-title").inner_text() == title
        assert item.locator(".card-unknown").count() == 0  # every tag has a renderer
    charts = sum(tags(e.card).count("chart") for e in expected)
    assert page.locator("figure.gallery-item svg.chart").count() == charts >= 1
    shot = tmp_path / f"gallery-{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    context.close()
    assert not errors, errors
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">I", data[16:20])[0] == WIDTH  # the PNG IHDR width
    if os.environ.get("CLOUDOPS_UPDATE_SCREENSHOT") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        small(shot, DOCS / shot.name)


def small(source: Path, target: Path) -> None:
    """A 256-colour PNG (cards are flat colours: a fifth of the bytes, reads the same)."""
    from PIL import Image

    with Image.open(source) as image:
        palette = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
        palette.save(target, "PNG", optimize=True)
