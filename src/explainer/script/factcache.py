"""Slides' computed facts remembered across runs, keyed by the slide's spec module, its params and
the source of the code that computes them, so loading the script imports numpy only when a fact
may change."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from explainer.files import JsonFileCache, user_cache_dir
from explainer.script.model import plain
from explainer.script.scan import PACKAGE_DIR, project_dependencies
from explainer.script.slidespec import Facts
from explainer.script.specfiles import spec_file

CACHE_VERSION = 3   # 2: {"version", "entries"}, as every JsonFileCache; 3: keyed by spec module
# Entries beyond this many (the oldest written first) are dropped: a lecture has a few dozen slides,
# and each params edit adds one entry.
MAX_ENTRIES = 2000


def _code_version(scene_module: Path) -> str:
    """A hash of the scene's spec module and every project module it imports (maths, the example, …),
    by path inside the project or the package, so copies of a project share their entries."""
    digest = hashlib.sha256()
    spec = spec_file(scene_module)
    for path in project_dependencies(spec, scene_module.parent):
        shown = path.relative_to(PACKAGE_DIR) if path.is_relative_to(PACKAGE_DIR) else path.relative_to(spec.parent.parent)
        digest.update(str(shown).encode() + b"\0" + _source(path) + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=256)
def _source_at(path: Path, stamp: tuple[int, int]) -> bytes:
    return path.read_bytes()


def _source(path: Path) -> bytes:
    stat = path.stat()
    return _source_at(path, (stat.st_mtime_ns, stat.st_size))


class FactCache:
    """Fact tables by key in a JSON file (read on first use, written at exit if it changed)."""

    def __init__(self, file: Path) -> None:
        # Entries beyond MAX_ENTRIES (the oldest written first) are dropped when it is saved.
        self.store = JsonFileCache(file, CACHE_VERSION, lambda entries: dict(list(entries.items())[-MAX_ENTRIES:]))

    def facts_for(self, scene_module: Path, facts: Facts, params: Any) -> dict[str, Any]:
        """The facts of the scene's spec for these params, computed (numpy) only on a miss."""
        key = hashlib.sha256(json.dumps([scene_module.name, plain(params), _code_version(scene_module)],
                                        sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        if key in self.store.entries:
            return self.store.entries[key]
        # Stored as JSON would give it back, so a hit and a miss hand templates the same values.
        computed = json.loads(json.dumps(facts(params), ensure_ascii=False))
        self.store.put(key, computed)
        return computed

    def save(self) -> None:
        self.store.save()


def _cache_file() -> Path:
    return user_cache_dir() / "facts.json"


FACTS = FactCache(_cache_file())


def cached_facts(scene_module: Path, facts: Facts, params: Any) -> dict[str, Any]:
    """The scene's computed facts for these params, from the cache when nothing changed."""
    return FACTS.facts_for(scene_module, facts, params)
