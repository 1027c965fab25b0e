"""Frame keys: what changes them and what must not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explainer.media.presets import PRESETS
from explainer.pipeline.keys import LOADER_MODULES, changed_inputs, frame_key, key_inputs
from explainer.script import scan
from explainer.script.load import load_lecture
from keys_support import copy_project, keys_of
from pipeline_support import edit

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"



@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)



def test_editing_one_bullet_changes_only_that_slides_key(project):
    before = keys_of(project / "script.yaml")
    edit(project / "script.yaml", "Q 與序列中所有的 K 比對", "Q 與序列中每一個 K 比對")
    after = keys_of(project / "script.yaml")
    assert {s for s in before if before[s] != after[s]} == {"qkv-flow"}


def test_narration_comments_and_formatting_change_no_key(project):
    before = keys_of(project / "script.yaml")
    script = project / "script.yaml"
    # Words enter no frame key: only each step's length in frames does (tested end to end).
    script.write_text(script.read_text(encoding="utf-8").replace("say: ", "say: 好，", 1), encoding="utf-8")
    edit(project / "script.yaml", "theme:\n", "# a new comment\ntheme:   \n")
    edit(project / "script.yaml", "logits: [2.0, 1.0, 0.1]", "logits: [2.0,   1.0,   0.1]   # same numbers")
    assert keys_of(project / "script.yaml") == before


def test_a_param_edit_changes_the_key_and_status_names_it(project):
    lecture = load_lecture(project / "script.yaml")
    old = key_inputs(lecture, lecture.slide("logits-softmax"), PRESETS["draft"])
    edit(project / "script.yaml", "logits: [2.0, 1.0, 0.1]", "logits: [2.5, 1.0, 0.1]")
    lecture = load_lecture(project / "script.yaml")
    new = key_inputs(lecture, lecture.slide("logits-softmax"), PRESETS["draft"])
    assert frame_key(old) != frame_key(new)
    assert changed_inputs(old, new) == ["on-screen text or params"]


def test_a_presets_encoder_options_enter_its_key(project):
    from dataclasses import replace

    lecture = load_lecture(project / "script.yaml")
    slide = lecture.slide("logits-softmax")
    old = key_inputs(lecture, slide, PRESETS["high"])
    new = key_inputs(lecture, slide, replace(PRESETS["high"], encoder_options=(("crf", "23"),)))
    assert changed_inputs(old, new) == ["quality preset"]


def test_a_scene_file_edit_changes_only_its_slide(project):
    before = keys_of(project / "script.yaml")
    with (project / "scenes" / "residual.py").open("a") as handle:
        handle.write("\n# tweak\n")
    after = keys_of(project / "script.yaml")
    assert {s for s in before if before[s] != after[s]} == {"residual"}


def test_chapter_title_enters_only_the_first_slides_key(project):
    before = keys_of(project / "script.yaml")
    edit(project / "script.yaml", "title: 核心機制：Query、Key、Value", "title: 核心機制：QKV")
    after = keys_of(project / "script.yaml")
    assert {s for s in before if before[s] != after[s]} == {"qkv-analogy"}


def test_quality_changes_every_key(project):
    assert set(keys_of(project / "script.yaml", "draft").values()).isdisjoint(
        keys_of(project / "script.yaml", "medium").values())


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the explainer package that the key computation reads instead of the real one."""
    copy = tmp_path / "pkg" / "explainer"
    shutil.copytree(scan.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(scan, "PACKAGE_DIR", copy)
    return copy


def test_editing_a_component_changes_only_the_scenes_that_import_it(package_copy):
    # In the fixture, FixtureFormula imports components.formula; FixtureBullets does not.
    before = keys_of(MINI / "script.yaml")
    with (package_copy / "scenekit" / "components" / "formula.py").open("a") as handle:
        handle.write("\n# tweak\n")
    after = keys_of(MINI / "script.yaml")
    assert {s for s in before if before[s] != after[s]} == {"a-two"}


def test_editing_the_scene_base_changes_every_key(package_copy):
    before = keys_of(MINI / "script.yaml")
    with (package_copy / "scenekit" / "slide_scene.py").open("a") as handle:
        handle.write("\n# tweak\n")
    after = keys_of(MINI / "script.yaml")
    assert all(before[s] != after[s] for s in before)


def test_real_scene_dependencies_are_found_by_reading_source():
    lecture = load_lecture(ROOT / "script.yaml")
    scene = scan.find_scene_classes(lecture.scenes_dir)["TransformerIntro"]
    names = {p.name for p in scan.project_dependencies(scene.module, lecture.scenes_dir)}
    assert {"transformer_intro.py", "slide_scene.py", "load.py", "text.py"} <= names
    # The loader's effect on frames is the parsed slide data, already in the key.
    code = key_inputs(lecture, lecture.slide("transformer-intro"), PRESETS["draft"])["code"]
    assert "scenes/transformer_intro.py" in code and "explainer/scenekit/components/text.py" in code
    assert "explainer/script/load.py" not in code and "explainer/script/yamlpos.py" not in code


@pytest.mark.parametrize("module", sorted(LOADER_MODULES))
def test_editing_a_loader_or_schema_module_changes_no_key(package_copy, module):
    assert (package_copy / module).is_file(), f"LOADER_MODULES names {module}, which does not exist"
    before = keys_of(MINI / "script.yaml")
    with (package_copy / module).open("a") as handle:
        handle.write("\n# tweak\n")
    assert keys_of(MINI / "script.yaml") == before


@pytest.mark.parametrize("command", ["check", "list", "status"])
def test_fast_commands_never_import_manim(command, tmp_path):
    code = (
        "import sys\n"
        "from explainer.app.cli import main\n"
        f"args = [{command!r}, '--script', {str(MINI / 'script.yaml')!r}]\n"
        f"args += ['--media', {str(tmp_path)!r}] if {command!r} == 'status' else []\n"
        "assert main(args) == 0\n"
        "assert 'manim' not in sys.modules, 'manim was imported'\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
