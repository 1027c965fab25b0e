"""The plan, without Manim: render, restore and current, and what makes a published clip stale.

A tiny real clip (PyAV) stands in for a render's output in the clip store; publishing and
planning then run exactly as `render` runs them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explainer.codec import read_record, write_record
from explainer.job.request import StepMark
from explainer.media.container import probe
from explainer.media.presets import PRESETS
from explainer.pipeline.paths import Paths
from explainer.pipeline.plan import Action, plan_slide
from explainer.pipeline.records import StoredClip
from explainer.pipeline.render import publish
from explainer.script.load import load_lecture
from gallery_support import make_video
from pipeline_support import MINI, edit

SLIDE = "a-one"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def plan(project: Path, force: bool = False):
    lecture = load_lecture(project / "script.yaml")
    paths = Paths(project / "media", "draft")
    return plan_slide(lecture, lecture.slide(SLIDE), PRESETS["draft"], paths, force=force), paths


def store(paths: Paths, key: str, frames: int = 12) -> StoredClip:
    """Put a clip into the store under `key`, as a finished render does."""
    clip = make_video(paths.store_clip(key), frames)
    stored = StoredClip(SLIDE, probe(clip), (StepMark("title", 0.0, 0), StepMark("bullet-1", 0.4, 6)),
                        clip.stat().st_size)
    write_record(paths.store_meta(key), stored)
    return stored


def rendered_and_published(project: Path):
    first, paths = plan(project)
    publish(paths, first, store(paths, first.key))
    return paths


def test_a_slide_never_rendered_is_rendered(project):
    first, _ = plan(project)
    assert first.action is Action.RENDER and first.reasons == ["never rendered at this quality"]
    assert first.scene.name == "FixtureBullets" and first.preset is PRESETS["draft"]


def test_a_stored_clip_is_restored_then_current(project):
    first, paths = plan(project)
    store(paths, first.key)
    restored, _ = plan(project)
    assert restored.action is Action.PUBLISH and restored.reasons == ["restored from the clip cache"]
    publish(paths, restored, read_record(StoredClip, paths.store_meta(first.key)))
    assert paths.clip(SLIDE).is_file()
    again, _ = plan(project)
    assert again.action is Action.CURRENT and again.key == first.key


def test_a_deleted_published_clip_is_published_again(project):
    paths = rendered_and_published(project)
    paths.clip(SLIDE).unlink()
    after, _ = plan(project)
    assert after.action is Action.PUBLISH and after.reasons == ["published clip was deleted"]


def test_a_modified_published_clip_is_published_again(project):
    paths = rendered_and_published(project)
    with paths.clip(SLIDE).open("ab") as handle:
        handle.write(b"\0")
    after, _ = plan(project)
    assert after.action is Action.PUBLISH and after.reasons == ["published clip was modified"]


def test_an_edit_renders_and_names_what_changed(project):
    rendered_and_published(project)
    edit(project / "script.yaml", "一次看見全部", "一次看見整句")
    after, _ = plan(project)
    assert after.action is Action.RENDER and after.reasons == ["on-screen text or params"]


def test_a_damaged_stored_clip_is_rendered_again(project):
    paths = rendered_and_published(project)
    first, _ = plan(project)
    paths.store_clip(first.key).write_bytes(b"not a video")
    paths.clip(SLIDE).unlink()
    after, _ = plan(project)
    assert after.action is Action.RENDER and after.reasons == ["cached clip missing or damaged"]


def test_force_renders_a_current_slide_and_says_so(project):
    rendered_and_published(project)
    forced, _ = plan(project, force=True)
    assert forced.action is Action.RENDER and forced.force and forced.reasons == ["--force"]
