"""Stitching and the manifest on tiny real clips (no Manim): frames add up, stale chapters wait,
an unchanged chapter is not rewritten, and the manifest says what is where."""

from __future__ import annotations

import shutil
from pathlib import Path

import av
import pytest

from explainer.codec import write_record
from explainer.deliver.contract import read_manifest
from explainer.deliver.manifest import write_manifest
from explainer.job.request import StepMark
from explainer.media.container import probe
from explainer.media.presets import PRESETS
from explainer.pipeline.paths import Paths
from explainer.pipeline.plan import plan_slide
from explainer.pipeline.records import Sidecar, StoredClip
from explainer.pipeline.render import publish
from explainer.pipeline.stitch import stitch
from explainer.script.load import load_lecture
from gallery_support import make_video
from pipeline_support import MINI

FRAMES = {"a-one": 9, "a-two": 12, "b-one": 7}


@pytest.fixture
def published(tmp_path: Path):
    """The mini lecture with every slide 'rendered' as a tiny clip and published."""
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    lecture = load_lecture(project / "script.yaml")
    paths = Paths(project / "media", "draft")
    for slide in lecture.slides:
        plan = plan_slide(lecture, slide, PRESETS["draft"], paths)
        clip = make_video(paths.store_clip(plan.key), FRAMES[slide.id])
        stored = StoredClip(slide.id, probe(clip), (StepMark("title", 0.0, 0),), clip.stat().st_size)
        write_record(paths.store_meta(plan.key), stored)
        publish(paths, plan, stored)
    current = {s.id: Sidecar.read(paths.sidecar(s.id)) for s in lecture.slides}
    return lecture, paths, current


def chapter_titles(video: Path) -> list[tuple[str, int]]:
    with av.open(str(video)) as container:
        return [(c["metadata"].get("title"), c["start"]) for c in container.chapters()]


def test_chapters_and_lecture_hold_exactly_their_clips_frames(published):
    lecture, paths, current = published
    report = stitch(lecture, paths, current)
    assert sorted(report.written) == ["chapter-alpha", "chapter-beta", "lecture"] and not report.errors
    assert probe(paths.chapter_video("alpha")).frames == FRAMES["a-one"] + FRAMES["a-two"]
    assert probe(paths.chapter_video("beta")).frames == FRAMES["b-one"]
    assert probe(paths.lecture_video).frames == sum(FRAMES.values())
    assert [title for title, _ in chapter_titles(paths.lecture_video)] == [c.title for c in lecture.chapters]


def test_a_stale_slide_blocks_its_chapter_and_the_lecture_but_not_the_other_chapter(published):
    lecture, paths, current = published
    del current["b-one"]
    report = stitch(lecture, paths, current)
    assert report.written == ["chapter-alpha"]
    assert report.blocked == {"beta": ["b-one"], "lecture": ["b-one"]}
    assert not paths.lecture_video.exists()


def test_an_unchanged_chapter_is_not_rewritten(published):
    lecture, paths, current = published
    stitch(lecture, paths, current)
    before = paths.chapter_video("alpha").stat().st_mtime_ns
    assert stitch(lecture, paths, current).written == []
    assert paths.chapter_video("alpha").stat().st_mtime_ns == before


def test_the_manifest_lists_slides_in_order_with_their_clips_and_stale_ones_marked(published):
    lecture, paths, current = published
    del current["a-two"]
    stitch(lecture, paths, current)
    manifest = write_manifest(lecture, paths, current, {}, rendered={"a-one"})
    assert [s.id for s in manifest.slides] == ["a-one", "a-two", "b-one"]
    one, two, three = manifest.slides
    assert one.clip == "clips/a-one.mp4" and one.frames == 9 and one.rendered and not one.stale
    assert two.stale and two.clip is None
    assert three.frames == 7 and not three.rendered
    alpha, beta = manifest.chapters
    assert alpha.stale and not beta.stale and beta.frames == 7
    assert manifest.lecture.stale and manifest.lecture.video is None
    assert read_manifest(paths.manifest) == manifest
