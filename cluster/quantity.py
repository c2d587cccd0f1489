"""Kubernetes resource quantities: parse ``500m`` / ``512Mi`` and format them back."""

from __future__ import annotations

import math
import re

__all__ = ["parse_cpu", "parse_memory", "format_cpu", "format_memory"]

_SUFFIXES = {
    "": 1.0,
    "n": 1e-9,
    "u": 1e-6,
    "m": 1e-3,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "Ki": 2.0**10,
    "Mi": 2.0**20,
    "Gi": 2.0**30,
    "Ti": 2.0**40,
}
_PATTERN = re.compile(r"^([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)(n|u|m|k|M|G|T|Ki|Mi|Gi|Ti)?$")


def _parse(value: str | int | float) -> float:
    if isinstance(value, int | float):
        return float(value)
    match = _PATTERN.match(value.strip())
    if not match:
        raise ValueError(f"not a Kubernetes quantity: {value!r}")
    return float(match.group(1)) * _SUFFIXES[match.group(2) or ""]


def parse_cpu(value: str | int | float) -> float:
    """CPU quantity in millicores (``"500m"`` → 500.0, ``"2"`` → 2000.0)."""
    return _parse(value) * 1000.0


def parse_memory(value: str | int | float) -> float:
    """Memory quantity in bytes (``"512Mi"`` → 536870912.0)."""
    return _parse(value)


def format_cpu(millicores: float) -> str:
    rounded = math.ceil(millicores)
    return f"{rounded // 1000}" if rounded % 1000 == 0 and rounded else f"{rounded}m"


def format_memory(num_bytes: float) -> str:
    mebibytes = math.ceil(num_bytes / 2**20)
    return f"{mebibytes // 1024}Gi" if mebibytes % 1024 == 0 and mebibytes else f"{mebibytes}Mi"
