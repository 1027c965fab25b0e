"""A slide rendered in pieces (pipeline/split.py, rendering/pieces.py) equals it rendered whole: frames, step
marks, cuts."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from explainer.codec import decode, encode, write_record
from explainer.job.launch import run_render
from explainer.job.request import RenderRequest, StepMark
from explainer.pipeline.keys import rendition_key
from explainer.pipeline.split import cut, render_pieces, step_sizes, unsplittable
from explainer.rendering.pieces import piece_marks
from explainer.script.load import load_lecture
from explainer.script.scan import SceneClass, find_scene_classes
from pipeline_support import MINI, worst_webm_psnr

ROOT = Path(__file__).resolve().parent.parent
TINY = (256, 144, 15)   # width, height, fps: identity does not need pixels, only the same ones


class _Local:
    """The local executor, without stopping (the test runs one slide)."""

    def render(self, request: RenderRequest, plan: object, work: Path, cwd: Path):
        return run_render(request, work, cwd)

    def stop(self) -> None:
        pass


# -- fast checks ---------------------------------------------------------------------------
def test_step_mark_and_piece_json_round_trip_and_old_records_load():
    mark = StepMark("focus", 1.25, 19, 4)
    assert decode(StepMark, encode(mark)) == mark
    assert decode(StepMark, {"name": "a", "start": 0.0, "frame": 0}).animation is None
    lecture = load_lecture(MINI / "script.yaml")
    slide = lecture.slide("a-two")
    request = RenderRequest(MINI / "script.yaml", slide, lecture.theme, MINI / "scenes" / "fixture_formula.py",
                            slide.scene, 256, 144, 15, Path("/tmp/x"), piece=(1, None))
    again = decode(RenderRequest, encode(request))
    assert again == request and again.piece == (1, None)
    assert decode(RenderRequest, encode(replace(request, piece=(0, 3)))).piece == (0, 3)
    old = encode(request)
    del old["piece"], old["encoder_options"]
    assert decode(RenderRequest, old).piece is None
    assert decode(RenderRequest, old).encoder_options == {}
    # The preset's x264 options travel to the worker in the request.
    from explainer.media.presets import PRESETS

    high = RenderRequest.for_slide(MINI / "script.yaml", slide, lecture.theme, MINI / "scenes" / "fixture_formula.py",
                                   PRESETS["high"], Path("/tmp/x"))
    assert decode(RenderRequest, encode(high)).encoder_options == dict(PRESETS["high"].encoder_options)


def test_cut_balances_frames_and_leaves_the_last_piece_open():
    # Steps of 100, 100, 100, 100 frames in two pieces: two steps each.
    assert cut([100, 100, 100, 100], 2) == [(0, 2), (2, None)]
    # One long step cannot be divided: it is a piece of its own, the rest goes around it.
    assert cut([10, 500, 10, 10, 400], 3) == [(0, 1), (1, 2), (2, None)]
    # No more pieces than steps; nothing to balance means one piece.
    assert cut([50], 4) == [(0, None)]
    assert cut([0, 0], 2) == [(0, None)]
    # Frames before the first step count with it; the last step runs to the clip's end.
    marks = [StepMark("a", 0.0, 5), StepMark("b", 1.0, 20), StepMark("c", 2.0, 50)]
    assert step_sizes(marks, 80) == [20, 30, 30]


def test_piece_marks_keep_only_steps_starting_in_the_piece():
    marks = (StepMark("a", 0.0, 0, 0), StepMark("b", 2.5, 0, 3), StepMark("c", 4.0, 12, 5))
    assert piece_marks(marks, 0, 6.0) == (marks, 6.0)
    inside, duration = piece_marks(marks, 1, 6.0)
    assert [(s.name, s.start, s.frame, s.animation) for s in inside] == [("b", 0.0, 0, 3), ("c", 1.5, 12, 5)]
    assert duration == 3.5
    assert piece_marks(marks, 3, 6.0) == ((), 0.0)


def test_scenes_with_updaters_are_not_split(tmp_path):
    module = tmp_path / "scene.py"
    module.write_text("class A:\n    pass\nclass B:\n    splittable = False\n", encoding="utf-8")
    assert unsplittable(SceneClass("A", module, 1, "a")) is None
    assert unsplittable(SceneClass("B", module, 3, "b")) == "it declares splittable = False"
    module.write_text("class A:\n    def construct(self):\n        dot.add_updater(lambda m: m)\n", encoding="utf-8")
    assert "add_updater at scene.py:3" in unsplittable(SceneClass("A", module, 1, "a"))


def test_a_slide_splits_only_when_it_pays_and_is_safe(tmp_path):
    from types import SimpleNamespace

    from explainer.media.presets import PRESETS
    from explainer.pipeline.paths import Paths
    from explainer.pipeline.records import Sidecar
    from explainer.pipeline.split import plan_pieces

    def published(frames: int, steps: list[StepMark]) -> None:
        write_record(paths.sidecar("s"), Sidecar("k", {}, 1, 1, frames, frames / 15, tuple(steps)))

    paths = Paths(tmp_path / "media", "high")
    scene_file = tmp_path / "scene.py"
    scene_file.write_text("class A:\n    pass\n", encoding="utf-8")
    plan = SimpleNamespace(slide=SimpleNamespace(id="s"), scene=SceneClass("A", scene_file, 1, "s"),
                           preset=PRESETS["high"])
    assert plan_pieces(paths, plan, 2) == [(0, None)]          # never rendered: nothing to balance by
    marks = [StepMark("a", 0.0, 0, 0), StepMark("b", 5.0, 300, 4), StepMark("c", 9.0, 540, 9)]
    published(900, marks)
    assert plan_pieces(paths, plan, 2) == [(0, 2), (2, None)]  # 540 | 360 (+ 10% of 540 fast-forwarded)
    assert plan_pieces(paths, plan, 1) == [(0, None)]
    published(60, marks[:1])
    assert plan_pieces(paths, plan, 2) == [(0, None)]          # one second at high: not worth a process
    published(900, marks)
    scene_file.write_text("class A:\n    splittable = False\n", encoding="utf-8")
    assert plan_pieces(paths, plan, 2) == [(0, None)]


# -- identity: whole against pieces ----------------------------------------------------------------
def _frames(movie: Path) -> list:
    import av

    with av.open(str(movie)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def _request(script: Path, slide_id: str, folder: Path) -> RenderRequest:
    lecture = load_lecture(script)
    slide = lecture.slide(slide_id)
    scene = find_scene_classes(lecture.scenes_dir)[slide.scene]
    width, height, fps = TINY
    # Narrated holds of whole frames, as the pipeline asks for them (finish_step rounds them).
    holds = {segment.step: (20 + 7 * index) / fps for index, segment in enumerate(slide.narration)}
    return RenderRequest(script.resolve(), slide, lecture.theme, scene.module, slide.scene, width, height, fps,
                         folder / "manim", step_seconds=holds, no_cache=True)


def assert_split_identical(script: Path, slide_id: str, pieces: int, tmp_path: Path) -> list[tuple[int, int | None]]:
    """Render `slide_id` whole, then in `pieces` pieces cut by the whole's step frames; assert the
    joined clip decodes to the same frames and carries the same step marks."""
    whole_dir = tmp_path / "whole"
    whole_dir.mkdir(parents=True)
    request = _request(script, slide_id, whole_dir)
    whole = run_render(request, whole_dir, script.parent)
    assert whole.ok, whole.error
    ranges = cut(step_sizes(whole.steps, len(_frames(whole.movie))), pieces)
    assert len(ranges) == pieces, ranges
    split_dir = tmp_path / "split"
    split = render_pieces(_Local(), replace(request, manim_dir=split_dir / "manim"), None, split_dir,
                          script.parent, ranges)
    assert split is not None and split.ok, split and split.error
    expected, got = _frames(whole.movie), _frames(split.movie)
    assert len(got) == len(expected)
    mismatched = [i for i, (a, b) in enumerate(zip(expected, got)) if not (a == b).all()]
    assert not mismatched, f"{len(mismatched)} frames differ, first {mismatched[0]}"
    assert [(s.name, s.frame, s.animation) for s in split.steps] == [(s.name, s.frame, s.animation) for s in whole.steps]
    assert [s.start for s in split.steps] == pytest.approx([s.start for s in whole.steps], abs=1e-6)
    return ranges


@pytest.mark.slow
def test_mini_slides_split_render_identical_frames(tmp_path):
    # a-one: chapter card (its step starts in setup), title, one bullet, summary → a piece each (the
    # card fades as the title step begins, so that piece must draw the fade);
    # a-two: LaTeX and CJK text in two steps → 2 pieces.
    assert_split_identical(MINI / "script.yaml", "a-one", 4, tmp_path / "one")
    assert_split_identical(MINI / "script.yaml", "a-two", 2, tmp_path / "two")


@pytest.mark.slow
def test_join_skips_a_piece_whose_steps_never_came(tmp_path):
    # The scene lost steps since its last render: the last piece starts past its end and renders
    # nothing; the piece before it, ending at a step that never comes, renders them all.
    folder = tmp_path / "w"
    folder.mkdir()
    request = _request(MINI / "script.yaml", "a-two", folder)
    result = render_pieces(_Local(), request, None, folder, MINI, [(0, 5), (5, None)])
    assert result is not None and result.ok, result and result.error
    assert [s.name for s in result.steps] == ["formula", "focus"]


# Real scenes without updaters (slow: run by hand with EXPLAINER_SPLIT_REAL=1; results in the report).
REAL = ["scaled-dot-product", "brain-resources", "qkv-projection", "attention-comparison"]


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("EXPLAINER_SPLIT_REAL"), reason="set EXPLAINER_SPLIT_REAL=1 (minutes)")
@pytest.mark.parametrize("slide_id", REAL)
def test_real_slides_split_render_identical_frames(slide_id, tmp_path):
    assert_split_identical(ROOT / "script.yaml", slide_id, 2, tmp_path)


@pytest.mark.slow
def test_a_one_slide_edit_renders_in_pieces_and_says_so(copy, rendered):
    # `render SLIDE --jobs 2` with a previous render to cut by: two pieces, the same frames as the
    # whole render, and the run says how the slide was rendered. (The mini slides are below the
    # size that pays for a split, so the threshold is lifted.)
    import json
    import subprocess
    import sys

    env = {**os.environ, "EXPLAINER_SPLIT_MIN_MEGAPIXELS": "0"}
    run = subprocess.run([sys.executable, "-m", "explainer", "render", "a-one", "--force", "--jobs", "2"],
                         cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "a-one rendered in 2 pieces" in run.stderr, run.stderr
    clip = Path("media") / "draft" / "clips" / "a-one.mp4"
    assert _frames(copy / clip) and all((a == b).all() for a, b in zip(_frames(copy / clip), _frames(rendered / clip)))
    state = Path("media") / ".cache" / "state" / "draft" / "slides" / "a-one.json"
    ours, theirs = (json.loads((p / state).read_text(encoding="utf-8")) for p in (copy, rendered))
    assert ours["frames"] == theirs["frames"]
    marks = decode(tuple[StepMark, ...], ours["steps"]), decode(tuple[StepMark, ...], theirs["steps"])
    assert [(s.name, s.frame, s.animation) for s in marks[0]] == [(s.name, s.frame, s.animation) for s in marks[1]]
    assert [s.start for s in marks[0]] == pytest.approx([s.start for s in marks[1]], abs=1e-6)
    # Each piece encoded its own webm video; joined, they show the clip's pictures at its times.
    assert (copy / "media" / ".cache" / "store" / f"{rendition_key(ours['key'])}.webm").is_file()
    assert worst_webm_psnr(copy / "media" / "draft" / "clips" / "a-one.webm", copy / clip, 15) > 30
