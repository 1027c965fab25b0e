"""The package's folders are the pipeline's stages, and a stage never imports one above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "explainer"

# Lowest first. A module may import its own stage and any stage before it, never one after.
STAGES = ("foundation", "text", "script", "voice", "media", "scenekit", "pipeline", "deliver", "app")
FOUNDATION = {"errors", "maths", "files", "codec", "__init__"}   # top-level modules everyone may use
TOP = {"__main__"}


def stage_of(dotted: str) -> str:
    parts = dotted.split(".")
    assert parts[0] == "explainer", dotted
    if len(parts) == 1 or parts[1] in FOUNDATION:
        return "foundation"
    if parts[1] in TOP:
        return "top"
    assert parts[1] in STAGES, f"explainer.{parts[1]} is in no stage: add it to STAGES or FOUNDATION"
    return parts[1]


def rank(stage: str) -> int:
    return len(STAGES) if stage == "top" else STAGES.index(stage)


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found.append((".".join(parts), path))
    return found


def imported_modules(path: Path) -> set[str]:
    """Every explainer module the file imports, at any depth (function-level imports count)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.split(".")[0] == "explainer")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "explainer":
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            pytest.fail(f"{path}: use absolute imports (explainer.…) so the stage is visible")
    return names


def test_the_package_top_level_holds_only_stages_and_foundations():
    loose = {p.stem for p in PACKAGE.glob("*.py")} - FOUNDATION - TOP
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert not loose, f"modules outside a stage: {sorted(loose)}"
    assert folders == set(STAGES) - {"foundation"}


@pytest.mark.parametrize("name,path", modules(), ids=[name for name, _ in modules()])
def test_no_stage_imports_a_stage_above_it(name, path):
    own = rank(stage_of(name))
    upward = sorted(m for m in imported_modules(path) if rank(stage_of(m)) > own)
    assert not upward, f"{name} ({stage_of(name)}) imports from a later stage: {upward}"


def test_the_rule_would_catch_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from explainer.pipeline.render import run_worker\n")
    assert any(rank(stage_of(m)) > rank("media") for m in imported_modules(bad))
