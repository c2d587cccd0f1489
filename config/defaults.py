"""The embedded defaults (``defaults.yaml``) and the base class of every YAML section.

Defaults live in ``defaults.yaml`` only. A :class:`Section` declares its fields without
Python defaults; whatever a caller leaves out is taken from the section of
``defaults.yaml`` named by ``section``, so ``FixesSettings()`` and ``Settings()`` built in
code get the same values as a loaded configuration. ``tests/config`` checks both ways:
no section field has a Python default, and ``defaults.yaml`` has no key no model declares.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Self

import yaml
from pydantic import BaseModel, model_validator

__all__ = ["DEFAULTS_FILE", "Section", "defaults", "section_defaults"]

DEFAULTS_FILE = Path(__file__).with_name("defaults.yaml")


@cache
def _defaults() -> dict[str, Any]:
    data = yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TypeError("defaults.yaml must hold a mapping")
    return data


def defaults() -> dict[str, Any]:
    """A fresh copy of every embedded default (callers may change it)."""
    copy: dict[str, Any] = yaml.safe_load(yaml.safe_dump(_defaults()))
    return copy


def section_defaults(name: str) -> dict[str, Any]:
    """The defaults of one top-level section (a fresh copy)."""
    value = defaults().get(name)
    if not isinstance(value, dict):
        raise KeyError(f"defaults.yaml has no section {name!r}")
    return value


class Section(BaseModel):
    """A top-level YAML section; missing fields come from ``defaults.yaml[section]``.

    An explicit ``null`` for a whole section means "the defaults", as an absent one does.
    """

    section: ClassVar[str]

    @classmethod
    def default(cls) -> Self:
        """The section as ``defaults.yaml`` has it."""
        return cls.model_validate({})

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:
        if data is None:
            return section_defaults(cls.section)
        if isinstance(data, Mapping):
            return {**section_defaults(cls.section), **data}
        return data
