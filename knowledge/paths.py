"""Safe path handling: a name from outside can never point outside the knowledge folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

__all__ = ["safe_join", "relative_source"]


def safe_join(root: Path, name: str) -> Path:
    """Join ``name`` under ``root`` or raise ``ValueError``.

    Refuses empty names, NUL bytes, absolute paths (POSIX or Windows, drive letters,
    UNC), any ``..`` component, and names whose resolved path (following symlinks)
    leaves ``root``.
    """
    if not name or not name.strip():
        raise ValueError("file name is empty")
    if "\x00" in name:
        raise ValueError("file name contains a NUL byte")
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or name.startswith("\\"):
        raise ValueError(f"file name {name!r} is an absolute path")
    if ".." in posix.parts or ".." in windows.parts:
        raise ValueError(f"file name {name!r} climbs out of the knowledge folder")
    base = root.resolve()
    target = (base / posix).resolve()
    if target != base and base not in target.parents:
        raise ValueError(f"file name {name!r} resolves outside the knowledge folder")
    return target


def relative_source(root: Path, path: Path) -> str:
    """The POSIX path of ``path`` relative to ``root`` (the chunk ``source``)."""
    return path.resolve().relative_to(root.resolve()).as_posix()
