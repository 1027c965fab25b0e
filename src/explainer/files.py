"""Atomic file writes, tolerant JSON reads and JSON caches: a crash never leaves a half-written file in place."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Callable
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


class JsonFileCache:
    """A dict kept in a JSON file across runs: read on first use, written back (atomically) at
    exit when it changed, through `prune`, which drops what is no longer worth keeping. A missing,
    unreadable or older-version file reads as empty; an unwritable folder only costs the next run
    the work again."""

    def __init__(self, file: Path, version: int,
                 prune: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
        self.file, self.version, self.prune = file, version, prune
        self._entries: dict[str, Any] | None = None
        self._dirty = False

    @property
    def entries(self) -> dict[str, Any]:
        if self._entries is None:
            data = read_json(self.file)
            valid = isinstance(data, dict) and data.get("version") == self.version \
                and isinstance(data.get("entries"), dict)
            self._entries = data["entries"] if valid else {}
            atexit.register(self.save)
        return self._entries

    @property
    def changed(self) -> bool:
        """Whether it holds entries the file does not have yet."""
        return self._dirty

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self._dirty = True

    def save(self) -> None:
        if not self._dirty or self._entries is None:
            return
        kept = self.prune(self._entries) if self.prune else self._entries
        try:
            write_json(self.file, {"version": self.version, "entries": kept})
            self._dirty = False
        except OSError:
            pass
