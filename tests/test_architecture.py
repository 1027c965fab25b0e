"""The package's folders are the pipeline's stages, and a stage never imports one above it; and the
process wall: only the render stage (and scenekit, which it runs) ever loads Manim."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "explainer"

# Lowest first. A module may import its own stage and any stage before it, never one after.
STAGES = ("foundation", "text", "script", "voice", "media", "job", "scenekit", "rendering", "pipeline", "deliver",
          "app")
FOUNDATION = {"errors", "maths", "files", "codec", "hashing", "named", "__init__"}   # top-level modules everyone may use
TOP = {"__main__"}

# The two sides of the process wall. What runs inside a render process (and scenekit, which it
# runs) may load Manim; every other stage is the client's side, which starts the render stage by
# name (job/launch.py) and so never imports Manim, scenekit or the render stage.
RENDER_SIDE = {"scenekit", "rendering"}
FORBIDDEN_ON_THE_CLIENT_SIDE = ("manim", "explainer.scenekit", "explainer.rendering")


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


def client_side_modules() -> list[tuple[str, Path]]:
    return [(name, path) for name, path in modules() if stage_of(name) not in RENDER_SIDE | {"top"}]


def every_import(path: Path) -> set[str]:
    """Every module the file imports, at any depth: function-level imports and those under
    `if TYPE_CHECKING:` count, and `from a import b` counts as a.b too (b may be a module)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            pytest.fail(f"{path}: use absolute imports (explainer.…) so the stage is visible")
    return names


def imported_modules(path: Path) -> set[str]:
    """Every explainer module the file imports, at any depth (function-level imports count)."""
    return {name for name in every_import(path) if name.split(".")[0] == "explainer"}


def across_the_wall(path: Path) -> list[str]:
    """What the file imports that only the render side may: Manim, scenekit or the render stage."""
    return sorted(name for name in every_import(path)
                  if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN_ON_THE_CLIENT_SIDE))


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
    bad.write_text("def f():\n    from explainer.pipeline.render import render_slide\n")
    assert any(rank(stage_of(m)) > rank("media") for m in imported_modules(bad))


def import_graph() -> dict[str, set[str]]:
    """Each package module → the package modules it imports (at any depth, `if TYPE_CHECKING:` too)."""
    names = {name.removesuffix(".__init__"): path for name, path in modules()}
    return {name: {m for m in every_import(path) if m in names and m != name} for name, path in names.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Modules that import each other round a circle (the first found), or None."""
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str] | None:
        if name in path:
            return path[path.index(name):] + [name]
        if name in done:
            return None
        for imported in sorted(graph[name]):
            cycle = visit(imported, path + [name])
            if cycle:
                return cycle
        done.add(name)
        return None

    return next((cycle for name in sorted(graph) if (cycle := visit(name, []))), None)


def test_no_modules_import_each_other_round_a_circle():
    # A circle (render ↔ split, once) forces lazy or TYPE_CHECKING imports to break it at run time.
    cycle = find_cycle(import_graph())
    assert cycle is None, " → ".join(cycle)


def test_the_circle_rule_would_catch_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("name,path", client_side_modules(), ids=[name for name, _ in client_side_modules()])
def test_the_client_side_never_imports_manim_scenekit_or_the_render_stage(name, path):
    # The render stage is started by name (job/launch.py), never imported: so `render`, `status`,
    # `doctor`, the decks and everything they import stay manim-free by structure, not by care.
    crossing = across_the_wall(path)
    assert not crossing, (f"{name} ({stage_of(name)}) imports {crossing}: only what runs inside a render "
                          "process may; start it through explainer/job/launch.py instead")


def test_the_wall_rule_would_catch_a_crossing_at_any_depth(tmp_path):
    for source in ("import manim\n",
                   "def f():\n    from manim.scene.scene import Scene\n",
                   "if TYPE_CHECKING:\n    from explainer.scenekit.slide_scene import SlideScene\n",
                   "class A:\n    def f(self):\n        import explainer.rendering.worker\n",
                   "from explainer import rendering\n"):
        bad = tmp_path / "bad.py"
        bad.write_text(source)
        assert across_the_wall(bad), f"not caught: {source!r}"
    fine = tmp_path / "fine.py"
    fine.write_text("import manimpango\nfrom explainer.job.launch import WORKER\nRENDER = 'explainer.rendering.worker'\n")
    assert not across_the_wall(fine)


def test_importing_every_client_side_module_loads_no_manim_scenekit_or_render_stage():
    # At run time too: what the client imports (the commands, the pipeline, the decks, the launcher)
    # pulls in none of it, whatever the import-time side effects.
    names = [name.removesuffix(".__init__") for name, _ in client_side_modules()]
    wanted = ["explainer.app.cli", "explainer.app.commands", "explainer.app.doctor"]
    assert {f"explainer.pipeline.{m}" for m in ("render", "split", "cluster", "plan", "keys")} <= set(names)
    code = (
        "import importlib, sys\n"
        f"for name in {[*wanted, *names]!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if any(m == b or m.startswith(b + '.') "
        f"for b in {FORBIDDEN_ON_THE_CLIENT_SIDE!r}))\n"
        "print(loaded)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]", f"the client side loaded {run.stdout.strip()}"
