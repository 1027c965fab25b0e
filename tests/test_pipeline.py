"""End to end with real Manim, LaTeX and the CJK font: the mini fixture lecture rendered at draft."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import pytest

from explainer.media.container import probe
from pipeline_support import edit, explainer, manifest, mtimes

pytestmark = pytest.mark.slow



def test_render_publishes_probed_clips_chapters_lecture_and_manifest(rendered):
    out = rendered / "media" / "draft"
    data = manifest(rendered)
    assert [s["id"] for s in data["slides"]] == ["a-one", "a-two", "b-one"]
    for slide in data["slides"]:
        info = probe(out / slide["clip"])
        assert (info.spec.codec, info.spec.width, info.spec.height, info.spec.pix_fmt, info.spec.fps) == \
            ("h264", 854, 480, "yuv420p", "15")
        assert info.frames == slide["frames"] > 0 and slide["rendered"] is True
        assert slide["duration"] == pytest.approx(slide["frames"] / 15)
        assert len(slide["key"]) == 64 and slide["steps"][0]["start"] == 0
    chapters = {c["id"]: c for c in data["chapters"]}
    assert chapters["alpha"]["frames"] == data["slides"][0]["frames"] + data["slides"][1]["frames"]
    assert probe(out / chapters["alpha"]["video"]).frames == chapters["alpha"]["frames"]
    lecture_frames = sum(s["frames"] for s in data["slides"])
    assert data["lecture"]["frames"] == lecture_frames == probe(out / "lecture.mp4").frames
    with av.open(str(out / "lecture.mp4")) as container:
        assert [c["metadata"]["title"] for c in container.chapters()] == ["第一章", "第二章"]
    with av.open(str(out / "chapters" / "alpha.mp4")) as container:
        assert [c["metadata"]["title"] for c in container.chapters()] == ["甲：注意力", "乙：公式"]
    # The first slide of a chapter opens with the chapter title; the others do not.
    assert data["slides"][0]["steps"][0]["name"] == "chapter"
    assert data["slides"][1]["steps"][0]["name"] != "chapter"


def test_rerun_renders_nothing_touches_nothing_and_never_imports_manim(copy):
    before = mtimes(copy / "media")
    code = (
        "import sys\nfrom explainer.app.cli import main\n"
        "assert main(['render']) == 0\n"
        "assert 'manim' not in sys.modules, 'the no-op path imported manim'\n"
        "assert 'jieba' not in sys.modules, 'the no-op path loaded the word segmenter'\n"
        "assert 'numpy' not in sys.modules, 'the no-op path imported numpy (about 0.15 s)'\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=copy, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "0 rendered" in run.stderr and "stitched nothing" in run.stderr
    assert mtimes(copy / "media") == before
    assert not any(s["rendered"] for s in manifest(copy)["slides"])


def test_one_bullet_edit_rerenders_one_clip_and_restitches_its_chapter_and_lecture(copy):
    before = mtimes(copy / "media" / "draft")
    script = copy / "script.yaml"
    script.write_text(script.read_text(encoding="utf-8").replace("一次看見全部", "一次看見整句"), encoding="utf-8")
    status = explainer(copy, "status")
    assert "render   a-one: on-screen text or params" in status.stdout
    run = explainer(copy, "render")
    assert run.returncode == 0, run.stderr
    after = mtimes(copy / "media" / "draft")
    changed = {name for name in after if after[name] != before.get(name)}
    step_clips = {name for name in after if name.startswith("steps/a-one/")}
    assert step_clips and changed == {"clips/a-one.mp4", "chapters/alpha.mp4", "lecture.mp4"} | step_clips
    assert [s["id"] for s in manifest(copy)["slides"] if s["rendered"]] == ["a-one"]
    # Undoing the edit restores the earlier clip from the store without starting Manim.
    script.write_text(script.read_text(encoding="utf-8").replace("一次看見整句", "一次看見全部"), encoding="utf-8")
    run = explainer(copy, "render")
    assert run.returncode == 0 and "0 rendered, 1 restored" in run.stderr


def test_a_narration_edit_that_changes_a_length_renders_only_that_slide(copy):
    out = copy / "media" / "draft"
    before = manifest(copy)
    # A bullet's words (its picture is on screen while they are said; a longer title sentence
    # would be spoken over the title alone, which the layout check refuses).
    edit(copy / "script.yaml", "say: 溫度 0.2 時，模型重新選最穩的詞。",
         "say: 溫度 0.2 時，模型重新選最穩的詞，這是生成文字時非常重要的一個旋鈕。")
    run = explainer(copy, "render")
    assert run.returncode == 0 and "1 rendered, 0 restored, 2 current" in run.stderr, run.stderr
    assert "narration length of a step" in run.stderr
    after = manifest(copy)
    assert [s["id"] for s in after["slides"] if s["rendered"]] == ["b-one"]
    old_b, new_b = before["slides"][2], after["slides"][2]
    assert new_b["frames"] > old_b["frames"]
    bullet = next(s for s in new_b["steps"] if s["name"] == "bullet-1")
    assert bullet["segments"][0]["text"].endswith("非常重要的一個旋鈕。")
    assert (out / "lecture.mp4").is_file()


def test_deleted_or_truncated_clip_is_restored(copy):
    clips = copy / "media" / "draft" / "clips"
    (clips / "a-two.mp4").unlink()
    data = (clips / "b-one.mp4").read_bytes()
    (clips / "b-one.mp4").write_bytes(data[: len(data) // 3])
    run = explainer(copy, "render")
    assert run.returncode == 0, run.stderr
    assert "0 rendered, 2 restored" in run.stderr
    assert probe(clips / "a-two.mp4").frames > 0 and probe(clips / "b-one.mp4").frames > 0


def test_killed_render_leaves_dirty_folder_that_is_wiped_and_rerendered(copy):
    # A render killed with SIGKILL runs no cleanup: its Manim folder stays marked dirty.
    work = copy / "media" / ".cache" / "manim" / "draft" / "b-one"
    (work / ".dirty").write_text("killed")
    (work / "manim" / "junk-from-killed-run").write_text("half-written")
    script = copy / "script.yaml"
    script.write_text(script.read_text(encoding="utf-8").replace("低溫求穩", "高溫求變"), encoding="utf-8")
    run = explainer(copy, "render", "b-one")
    assert run.returncode == 0, run.stderr
    assert not (work / ".dirty").exists() and not (work / "manim" / "junk-from-killed-run").exists()


def test_preview_writes_a_still(copy):
    run = explainer(copy, "preview", "a-two")
    assert run.returncode == 0, run.stderr
    still = Path(run.stdout.strip())
    assert still == Path("media/draft/previews/a-two.png") and (copy / still).stat().st_size > 1000


def test_preview_of_an_earlier_step_differs_from_the_last_frame(copy):
    stills = []
    for args in (["--step", "1"], []):
        run = explainer(copy, "preview", "a-one", *args)
        assert run.returncode == 0, run.stderr
        stills.append((copy / run.stdout.strip()).read_bytes())
    assert stills[0] != stills[1], "--step 1 (the chapter card) should not be the final frame"
