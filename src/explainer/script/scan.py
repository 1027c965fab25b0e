"""Finds scene classes and their project imports by reading source (ast), never importing it."""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from explainer.codec import CodecError, decode, encode
from explainer.files import JsonFileCache, user_cache_dir

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_NAME = "explainer"
SPEC_FOLDER = "specs"   # scenes/specs/: each scene module's spec (script/specfiles.py)


@dataclass(frozen=True)
class SceneClass:
    """A class defined at the top level of a module in scenes/."""

    name: str
    module: Path
    line: int
    slide_id: str | None
    bases: tuple[str, ...] = ()
    poster_step: str | None = None


@dataclass(frozen=True)
class SourceSummary:
    """What planning needs from a source file: its top-level classes, its imports, or its syntax error."""

    classes: tuple[SceneClass, ...]
    imports: frozenset[str]
    error: str | None = None


@dataclass(frozen=True)
class _CachedSummary:
    """A summary as the cache keeps it, with the file's mtime and size it describes."""

    mtime_ns: int
    size: int
    summary: SourceSummary


def _summarize(path: Path) -> SourceSummary:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as error:
        return SourceSummary((), frozenset(), f"{path}:{error.lineno}:{error.offset}: {error.msg}")
    classes = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = tuple(b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in node.bases)
            classes.append(SceneClass(node.name, path, node.lineno, _class_text(node, "slide_id"), bases,
                                      _class_text(node, "poster_step")))
    return SourceSummary(tuple(classes), frozenset(_imported_names(tree)))


class SummaryCache:
    """Source summaries kept across runs (keyed by path, mtime and size), so a no-op run parses no
    Python at all: parsing the ~50 project modules costs about 0.3 s, reading this file 10 ms."""

    def __init__(self, file: Path) -> None:
        self.store = JsonFileCache(file, CACHE_VERSION, _existing)

    def get(self, path: Path) -> SourceSummary:
        stat = path.stat()
        return self._get(path, stat.st_mtime_ns, stat.st_size)

    @lru_cache(maxsize=1024)  # noqa: B019 - one cache object per process, never collected anyway
    def _get(self, path: Path, mtime_ns: int, size: int) -> SourceSummary:
        entry = self.store.entries.get(str(path))
        if entry is not None:
            try:
                cached = decode(_CachedSummary, entry)
            except CodecError:
                cached = None   # damaged: summarize again
            if cached is not None and (cached.mtime_ns, cached.size) == (mtime_ns, size):
                return cached.summary
        summary = _summarize(path)
        self.store.put(str(path), encode(_CachedSummary(mtime_ns, size, summary)))
        return summary

    def save(self) -> None:
        self.store.save()


def _existing(entries: dict[str, Any]) -> dict[str, Any]:
    # Files that are gone (test copies, deleted clones) would otherwise pile up: one run of the
    # test suite adds thousands, and the next no-op run reads them all.
    return {path: entry for path, entry in entries.items() if os.path.exists(path)}


CACHE_VERSION = 4   # 2: {"version", "entries"}, as every JsonFileCache; 3: entries are records by field
                    # name; 4: steps are declared in spec modules, not in classes


def _cache_file() -> Path:
    return user_cache_dir() / "source-summaries.json"


SUMMARIES = SummaryCache(_cache_file())


def summary(path: Path) -> SourceSummary:
    """The summary of a source file (see SourceSummary), cached across runs."""
    return SUMMARIES.get(path)


def find_scene_classes(scenes_dir: Path) -> dict[str, SceneClass]:
    """Every top-level class in scenes/*.py, by class name (a name defined twice keeps the first)."""
    found: dict[str, SceneClass] = {}
    if not scenes_dir.is_dir():
        return found
    for module in sorted(scenes_dir.glob("*.py")):
        for scene in summary(module).classes:   # a module with a syntax error has none: see syntax_error
            found.setdefault(scene.name, scene)
    return found


def syntax_error(module: Path) -> str | None:
    """A one-line description of the module's syntax error, or None."""
    return summary(module).error


def _class_text(node: ast.ClassDef, attribute: str) -> str | None:
    """The string a class body assigns to `attribute` (e.g. slide_id = "qkv-flow"), if any."""
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == attribute for t in statement.targets)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        ):
            return statement.value.value
    return None


def _module_file(dotted: str, scenes_dir: Path) -> Path | None:
    """The project file a dotted module name refers to: in the package, or in scenes/ (a sibling
    scene module, or a spec module in scenes/specs/)."""
    parts = dotted.split(".")
    if parts[0] == PACKAGE_NAME:
        base = PACKAGE_DIR.joinpath(*parts[1:])
    else:
        base = scenes_dir.joinpath(*parts)
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    return None


def _statements(body: list[ast.stmt]):
    """Every statement, nested ones included (imports are statements; expressions need no visit)."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            yield from _statements(getattr(node, field, []) or [])


def _imported_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from explainer.scenekit.components import bars` imports the submodule `bars`.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    expanded: set[str] = set()
    for name in names:
        parts = name.split(".")
        expanded.update(".".join(parts[: i + 1]) for i in range(len(parts)))  # parents run too
    return expanded


_dependency_cache: dict[tuple[Path, Path, Path], tuple[tuple[Path, ...], tuple[tuple[int, int], ...]]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


_targets_memo: dict[tuple[Path, Path], tuple[tuple[tuple[int, int], ...], dict[str, Path | None]]] = {}


@lru_cache(maxsize=4)
def _package_folders_under(package_dir: Path) -> tuple[Path, ...]:
    return tuple(sorted(p for p in package_dir.rglob("*") if p.is_dir() and p.name != "__pycache__"))


def _package_folders() -> tuple[Path, ...]:
    """The package's subfolders at every depth (cached: adding a stage package needs a restart)."""
    return _package_folders_under(PACKAGE_DIR)


def _import_targets(scenes_dir: Path) -> dict[str, Path | None]:
    """Import name → project file, shared by every walk while no module file is added or
    removed (a folder's mtime changes when one is)."""
    folders = [scenes_dir, scenes_dir / SPEC_FOLDER, PACKAGE_DIR, *_package_folders()]
    stamp = tuple(_stamp(folder) for folder in folders)
    memo = _targets_memo.get((scenes_dir, PACKAGE_DIR))
    if memo is None or memo[0] != stamp:
        memo = (stamp, {})
        _targets_memo[(scenes_dir, PACKAGE_DIR)] = memo
    return memo[1]


def project_dependencies(module: Path, scenes_dir: Path) -> list[Path]:
    """`module` and every project module it imports, transitively, sorted (cached within a
    process until one of those files changes, so planning 22 slides walks shared modules once)."""
    cache_key = (module.resolve(), scenes_dir, PACKAGE_DIR)
    cached = _dependency_cache.get(cache_key)
    if cached is not None and all(_stamp(path) == stamp for path, stamp in zip(*cached)):
        return list(cached[0])
    targets = _import_targets(scenes_dir)
    seen: set[Path] = set()
    pending = [module.resolve()]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        imported = summary(current).imports   # empty for a file with a syntax error
        for name in imported:
            if name not in targets:
                target = _module_file(name, scenes_dir)
                targets[name] = target.resolve() if target is not None else None
            target = targets[name]
            if target is not None and target not in seen:
                pending.append(target)
    found = tuple(sorted(seen))
    _dependency_cache[cache_key] = (found, tuple(_stamp(path) for path in found))
    return list(found)
