"""Slides' computed facts remembered across runs, keyed by the scene, its params and the source of
the code that computes them, so loading the script imports numpy only when a fact may change."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from explainer.files import JsonFileCache, user_cache_dir
from explainer.script.model import plain
from explainer.script.scan import PACKAGE_DIR, project_dependencies

CACHE_VERSION = 2   # 2: {"version", "entries"}, as every JsonFileCache
# Entries beyond this many (the oldest written first) are dropped: a lecture has a few dozen slides,
# and each params edit adds one entry.
MAX_ENTRIES = 2000


@lru_cache(maxsize=1)
def _code_version() -> str:
    """A hash of facts.py and every project module it imports (maths, the example, …)."""
    digest = hashlib.sha256()
    facts_module = PACKAGE_DIR / "script" / "facts.py"
    for path in project_dependencies(facts_module, facts_module.parent):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class FactCache:
    """Fact tables by key in a JSON file (read on first use, written at exit if it changed)."""

    def __init__(self, file: Path) -> None:
        # Entries beyond MAX_ENTRIES (the oldest written first) are dropped when it is saved.
        self.store = JsonFileCache(file, CACHE_VERSION, lambda entries: dict(list(entries.items())[-MAX_ENTRIES:]))

    def facts_for(self, scene: str, params: Any) -> dict[str, Any]:
        """The scene's facts for these params (see script/facts.py), computed only on a miss."""
        key = hashlib.sha256(json.dumps([scene, plain(params), _code_version()], sort_keys=True,
                                        ensure_ascii=False).encode()).hexdigest()
        if key in self.store.entries:
            return self.store.entries[key]
        from explainer.script.facts import facts_for  # numpy: only when a fact may have changed

        # Stored as JSON would give it back, so a hit and a miss hand templates the same values.
        computed = json.loads(json.dumps(facts_for(scene, params), ensure_ascii=False))
        self.store.put(key, computed)
        return computed

    def save(self) -> None:
        self.store.save()


def _cache_file() -> Path:
    return user_cache_dir() / "facts.json"


FACTS = FactCache(_cache_file())


def cached_facts(scene: str, params: Any) -> dict[str, Any]:
    """The scene's computed facts for these params, from the cache when nothing changed."""
    return FACTS.facts_for(scene, params)
