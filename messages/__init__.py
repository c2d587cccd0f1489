"""The one catalogue of user-facing chat text, in zh-CN (default) and en-US.

Every ``*.yaml`` file in this folder maps a dotted key to its translations::

    rca.usage:
      zh-CN: "用法：/rca <服务> [时间窗口]"
      en-US: "Usage: /rca <service> [window]"

Placeholders use ``str.format`` syntax. Files are split by domain (``bot.yaml``,
``rca.yaml``, ``cluster.yaml`` ...) but form a single catalogue: a key may be
defined once only.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "catalogue", "t"]

LANGUAGES = ("zh-CN", "en-US")
DEFAULT_LANGUAGE = "zh-CN"
_FOLDER = Path(__file__).parent


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Load every catalogue file once; refuse duplicate or half-translated keys."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_FOLDER.glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, texts in entries.items():
            if key in merged:
                raise ValueError(f"message key {key!r} is defined twice (again in {path.name})")
            missing = [lang for lang in LANGUAGES if lang not in (texts or {})]
            if missing:
                raise ValueError(f"message key {key!r} in {path.name} lacks {', '.join(missing)}")
            merged[key] = {lang: str(texts[lang]) for lang in LANGUAGES}
    return merged


def normalise_language(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANGUAGE
    low = lang.replace("_", "-").lower()
    return "en-US" if low.startswith("en") else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **params: Any) -> str:
    """Translate ``key`` into ``lang`` (zh-CN by default), filling ``params``."""
    texts = catalogue().get(key)
    if texts is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    template = texts[normalise_language(lang)]
    return template.format(**params) if params else template
