"""Atomic file writes and tolerant JSON reads: a crash never leaves a half-written file in place."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def read_json(path: Path) -> Any:
    """The JSON in `path`, or None when it is missing or unreadable (treated as absent)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _temporary_beside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    os.chmod(name, 0o644)  # mkstemp makes 0600; outputs are meant to be shared and served
    return Path(name)


def write_json(path: Path, data: Any, only_if_changed: bool = False) -> bool:
    """Write JSON to `path` through a temporary file and an atomic rename; with `only_if_changed`,
    leave an identical file (and its mtime) alone. True when it wrote."""
    return write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", only_if_changed)


def copy_file(source: Path, destination: Path) -> None:
    """Copy `source` to `destination` atomically (readers see the old file or the whole new one)."""
    temporary = _temporary_beside(destination)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


def write_text(path: Path, text: str, only_if_changed: bool = False) -> bool:
    """Write text atomically; with `only_if_changed`, leave an identical file (and its mtime) alone."""
    if only_if_changed:
        try:
            if path.read_text(encoding="utf-8") == text:
                return False
        except (OSError, UnicodeDecodeError):
            pass
    temporary = _temporary_beside(path)
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return True


def user_cache_dir() -> Path:
    """Where explainer keeps what it may forget (source summaries, font hashes, facts):
    $EXPLAINER_CACHE_DIR, else $XDG_CACHE_HOME/explainer, else ~/.cache/explainer."""
    if os.environ.get("EXPLAINER_CACHE_DIR"):
        return Path(os.environ["EXPLAINER_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "explainer"
