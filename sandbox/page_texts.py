"""The web chat's own labels, from the message catalogue (``sandbox.page.*`` keys)."""

from __future__ import annotations

from messages import catalogue, t

__all__ = ["page_texts", "PREFIX"]

PREFIX = "sandbox.page."


def page_texts(lang: str) -> dict[str, str]:
    """Every ``sandbox.page.<name>`` text in ``lang``, keyed by ``<name>`` (placeholders
    such as ``{status}`` are left for the page to fill)."""
    texts = {k.removeprefix(PREFIX): t(k, lang) for k in catalogue() if k.startswith(PREFIX)}
    texts["bot_name"] = t("bot.name", lang)
    return texts
