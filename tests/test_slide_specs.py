"""Every slide's spec is one manim-free module beside its scene, and a new slide is four files:
a slide in script.yaml, a scene, its spec and its test."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline_support import explainer

ROOT = Path(__file__).resolve().parents[1]
SCENES = ROOT / "scenes"
SPECS = SCENES / "specs"
# What a spec module may import at its top; numpy (and explainer.maths, which imports it) only
# inside the numbers functions, so `check` and a no-op render never load it.
TOP_LEVEL_ALLOWED = {"__future__", "typing", "collections", "collections.abc", "dataclasses", "math",
                     "itertools", "functools", "explainer.script.params", "explainer.script.slidespec"}


def spec_names() -> list[str]:
    return sorted(p.stem for p in SPECS.glob("*.py") if p.stem != "__init__")


def top_level_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.parse(path.read_bytes()).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def test_every_scene_module_has_its_spec_and_every_spec_its_scene():
    scenes = sorted(p.stem for p in SCENES.glob("*.py"))
    assert scenes == spec_names()


@pytest.mark.parametrize("name", spec_names())
def test_a_spec_imports_only_params_and_slidespec_at_its_top(name):
    extra = top_level_imports(SPECS / f"{name}.py") - TOP_LEVEL_ALLOWED
    assert not extra, f"scenes/specs/{name}.py imports {sorted(extra)} at its top: import it inside the function"


def test_the_import_rule_would_catch_numpy_at_a_specs_top(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy as np\nfrom explainer.script.slidespec import SlideSpec\n")
    assert top_level_imports(bad) - TOP_LEVEL_ALLOWED == {"numpy"}


def test_importing_every_spec_loads_neither_numpy_nor_manim():
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(SCENES)!r})
        import importlib
        for name in {spec_names()!r}:
            module = importlib.import_module("specs." + name)
            assert module.SPEC.step_names is not None
        print(sorted(m for m in ("numpy", "manim", "explainer.scenekit", "explainer.maths") if m in sys.modules))
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


# -- adding a slide --------------------------------------------------------------------------------
NEW_SLIDE = """\
      - id: dot-grid
        scene: DotGrid
        title: 點陣
        bullets: []
        params: {rows: 2, columns: 3}
        narration:
          - step: dots
            say: 這裡有一些點。
          - step: count
            say: 一共 {count} 個。
"""

NEW_SCENE = '''\
"""Slide 'dot-grid': a grid of dots, then how many there are."""

from manim import DOWN, Dot, FadeIn, VGroup

from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.dot_grid import dot_count


class DotGrid(SlideScene):
    slide_id = "dot-grid"

    def construct(self) -> None:
        p = self.params
        # 1. The grid
        self.step("dots")
        self.show_title()
        dots = VGroup(*(Dot() for _ in range(dot_count(p)))).arrange_in_grid(p.rows, p.columns)
        self.play(FadeIn(dots), run_time=0.5)
        # 2. How many
        self.step("count")
        self.play(FadeIn(cjk(f"{dot_count(p)} 個點", "body").next_to(dots, DOWN)), run_time=0.5)
        self.wait(0.5)
'''

NEW_SPEC = '''\
"""Slide 'dot-grid'."""

from typing import Any

from explainer.script.params import Number
from explainer.script.slidespec import SlideSpec


def dot_count(p: Any) -> int:
    return int(p.rows * p.columns)


SPEC = SlideSpec(
    params={"rows": Number(minimum=1, maximum=4, integer=True), "columns": Number(minimum=1, maximum=6, integer=True)},
    steps=("dots", "count"),
    facts=lambda p: {"count": dot_count(p)},
)
'''

NEW_TEST = '''\
"""Slide 'dot-grid': its count, hand-worked."""

from explainer.script.model import Params
from specs.dot_grid import SPEC, dot_count


def test_two_rows_of_three_are_six_dots():
    assert dot_count(Params({"rows": 2, "columns": 3})) == 6
    assert SPEC.step_names(Params({}), ()) == ["dots", "count"]
'''


def test_a_new_slide_is_four_files_then_check_render_and_its_test_pass(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("scenes", "tests"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("script.yaml", "manim.cfg"):
        shutil.copy2(ROOT / name, project / name)
    if (ROOT / "audio").is_dir():
        shutil.copytree(ROOT / "audio", project / "audio")
    # The four files: the slide appended to the last chapter, its scene, its spec, its test.
    with (project / "script.yaml").open("a", encoding="utf-8") as script:
        script.write(NEW_SLIDE)
    (project / "scenes" / "dot_grid.py").write_text(NEW_SCENE, encoding="utf-8")
    (project / "scenes" / "specs" / "dot_grid.py").write_text(NEW_SPEC, encoding="utf-8")
    (project / "tests" / "test_scene_dot_grid.py").write_text(NEW_TEST, encoding="utf-8")

    check = explainer(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    render = explainer(project, "render", "dot-grid", "--voice", "draft", "--jobs", "1", timeout=600)
    assert render.returncode == 0, render.stderr
    manifest = json.loads((project / "media" / "draft" / "manifest.json").read_text(encoding="utf-8"))
    slide = next(s for s in manifest["slides"] if s["id"] == "dot-grid")
    assert [step["name"] for step in slide["steps"]] == ["dots", "count"]
    said = [segment["text"] for step in slide["steps"] for segment in step["segments"]]
    assert said == ["這裡有一些點。", "一共 6 個。"]   # the spec's fact filled the narration
    assert (project / "media" / "draft" / slide["clip"]).stat().st_size > 0

    test = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_scene_dot_grid.py"], cwd=project, capture_output=True, text=True,
                          timeout=120)
    assert test.returncode == 0, test.stdout + test.stderr

    # The spec is in the slide's frame key: editing it makes the slide stale.
    def status_of_new_slide() -> str:
        status = explainer(project, "status", "--voice", "draft")
        return next(line.strip() for line in status.stdout.splitlines() if "dot-grid" in line)

    assert status_of_new_slide().startswith("current")
    spec = project / "scenes" / "specs" / "dot_grid.py"
    spec.write_text(spec.read_text(encoding="utf-8").replace("maximum=6", "maximum=7"), encoding="utf-8")
    assert status_of_new_slide().startswith("render"), "editing the spec left the slide current"
