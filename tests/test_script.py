"""script.yaml loading and validation: good files load, bad ones say FILE:LINE:COL and how to fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from explainer.script.load import ScriptInvalid, load_lecture

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def test_project_script_loads_all_slides_in_order():
    lecture = load_lecture(ROOT / "script.yaml")
    assert [c.id for c in lecture.chapters] == [
        "intro", "next-word", "qkv", "self-attention", "deep-architecture", "temperature",
        "human-vs-ai", "wrap-up",
    ]
    assert len(lecture.slides) == 26   # with causal-mask and attention-to-next-word
    assert lecture.slides[0].id == "course-title" and lecture.chapter("wrap-up").slides[-2].id == "recap"
    assert lecture.slides[10].id == "qkv-flow" and lecture.slides[10].scene == "QkvFlow"   # after qkv-projection
    assert [s.first_in_chapter for s in lecture.chapter("qkv").slides] == [True, False, False, False]
    assert lecture.theme.palette["query"] == "#F5C542"


@pytest.fixture
def project(tmp_path):
    """A copy of the mini fixture project whose script a test may rewrite."""
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def problems_for(project: Path, text: str | bytes) -> list[str]:
    path = project / "script.yaml"
    if isinstance(text, str):
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    else:
        path.write_bytes(text)
    with pytest.raises(ScriptInvalid) as caught:
        load_lecture(path, "script.yaml")
    return [str(p) for p in caught.value.problems]


GOOD = """\
theme:
  font: Noto Sans CJK TC
chapters:
  - id: alpha
    title: 第一章
    slides:
      - id: a-one
        scene: FixtureBullets
        title: 甲
        bullets: [一]
        narration: [{step: title, say: 旁白}]
"""


def test_unknown_slide_key_names_line_column_and_suggests(project):
    narration = "        narration: [{step: title, say: 旁白}]"
    found = problems_for(project, GOOD.replace(narration, narration + "\n        bulets: [x]"))
    assert found == ["script.yaml:12:9: slide 'a-one': unknown key 'bulets'; did you mean 'bullets'?"]


def test_duplicate_ids_across_chapters_and_slides(project):
    text = GOOD + """\
  - id: a-one
    title: 重複
    slides:
      - id: alpha
        scene: FixtureBullets
        title: 乙
        bullets: []
        narration: []
"""
    found = problems_for(project, text)
    assert "script.yaml:12:9: chapter: id 'a-one' is used twice (first used at line 7); " \
           "slide and chapter ids must be unique" in found
    assert any(p.startswith("script.yaml:15:13: slide: id 'alpha' is used twice") for p in found)


@pytest.mark.parametrize("bad_id", ["A-one", "a/one", "../x", "-a", "a one", "lecture"])
def test_bad_ids_are_rejected(project, bad_id):
    found = problems_for(project, GOOD.replace("id: a-one", f"id: '{bad_id}'"))
    assert len(found) == 1 and found[0].startswith("script.yaml:7:13: slide: id")


def test_unknown_scene_class_suggests_the_close_one(project):
    found = problems_for(project, GOOD.replace("scene: FixtureBullets", "scene: FixtureBullet"))
    assert found == ["script.yaml:8:16: slide 'a-one': scene class 'FixtureBullet' not found in scenes/; "
                     "did you mean 'FixtureBullets'?"]


def test_tab_indentation(project):
    found = problems_for(project, GOOD.replace("        title: 甲", "\ttitle: 甲"))
    assert len(found) == 1 and "tab" in found[0] and found[0].startswith("script.yaml:9:")


def test_yaml_syntax_error_points_at_the_line(project):
    found = problems_for(project, GOOD.replace("bullets: [一]", "bullets: [一"))
    assert len(found) == 1 and found[0].startswith("script.yaml:1") and "invalid YAML" in found[0]


def test_not_utf8(project):
    found = problems_for(project, GOOD.encode("utf-8").replace("甲".encode(), "甲".encode("big5")))
    assert found == ["script.yaml:9:16: byte 0xa5 is not UTF-8; save the file as UTF-8"]


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file(project, text):
    found = problems_for(project, text)
    assert len(found) == 1 and found[0].startswith("script.yaml: ") and "'chapters'" in found[0]


def test_object_constructing_tag_is_refused(project):
    found = problems_for(project, GOOD.replace("title: 甲", "title: !!python/object/apply:os.system [ls]"))
    assert len(found) == 1 and found[0].startswith("script.yaml:9:16: YAML tag") and "not allowed" in found[0]


def test_alias_bomb_is_refused_quickly(project):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    found = problems_for(project, bomb)
    assert len(found) == 1 and found[0].startswith("script.yaml:2:") and "aliases" in found[0]


def test_wrong_types_and_missing_fields(project):
    found = problems_for(project, GOOD.replace("bullets: [一]", "bullets: 一").replace("        title: 甲\n", ""))
    assert "script.yaml:7:9: slide 'a-one' is missing 'title'" in found
    assert "script.yaml:9:18: slide 'a-one': bullets must be a list of text, got '一'" in found


def test_params_checked_against_the_scene_schema(tmp_path):
    """The real project's schemas: a draw count out of range and mismatched lengths are caught."""
    project = tmp_path / "p"
    shutil.copytree(ROOT / "scenes", project / "scenes")
    text = (ROOT / "script.yaml").read_text(encoding="utf-8")
    text = text.replace("          draws: 10\n", "          draws: 0\n", 1)
    # the shared next-word prompt (chapters 2 and 6, the recap): one logit per word
    text = text.replace("  words: [想, 看, 們]", "  words: [想, 看, 們, 走]", 1)
    (project / "script.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ScriptInvalid) as caught:
        load_lecture(project / "script.yaml", "script.yaml")
    found = [str(p) for p in caught.value.problems]
    assert any("slide 'temperature-table': params.draws must be >= 1" in p for p in found), found
    assert any("next_word.logits has 3 numbers for 4 words" in p for p in found), found


def test_check_command_exits_2_without_traceback(project):
    (project / "script.yaml").write_text(GOOD.replace("title: 甲", "titel: 甲"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "explainer", "check", "--script", "script.yaml"],
                         cwd=project, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "script.yaml:9:9: slide 'a-one': unknown key 'titel'; did you mean 'title'?" in run.stderr
    assert "Traceback" not in run.stderr


def test_unknown_render_target_is_exit_2(project, tmp_path):
    run = subprocess.run([sys.executable, "-m", "explainer", "render", "nope", "--media", str(tmp_path / "m")],
                         cwd=project, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "unknown target 'nope'" in run.stderr
    assert not (tmp_path / "m" / "draft").exists()


def test_character_missing_from_the_font_is_caught_before_rendering(project):
    found = problems_for(project, GOOD.replace("bullets: [一]", "bullets: [一, 好 😀]"))
    assert found == ["script.yaml:10:22: slide 'a-one': the font 'Noto Sans CJK TC' has no glyph for "
                     "'😀' (U+1F600); replace or remove that character"]
