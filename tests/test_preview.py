"""`explainer preview`: an unchanged slide's still comes from its published clip, without Manim;
a changed one is rendered, and the command says which."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from explainer.pipeline.paths import Paths
from explainer.pipeline.stills import preview_from_clip
from explainer.script.load import load_lecture
from pipeline_support import edit, explainer

pytestmark = pytest.mark.slow   # they need the rendered mini lecture


def clip_frames(project: Path, slide_id: str) -> list[np.ndarray]:
    import av

    with av.open(str(project / "media" / "draft" / "clips" / f"{slide_id}.mp4")) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def still(project: Path, relative: str) -> np.ndarray:
    return np.asarray(Image.open(project / relative).convert("RGB"))


def sidecar_of(project: Path, slide_id: str) -> dict:
    sidecar = project / "media" / ".cache" / "state" / "draft" / "slides" / f"{slide_id}.json"
    return json.loads(sidecar.read_text(encoding="utf-8"))


def steps_of(project: Path, slide_id: str) -> list[dict]:
    return sidecar_of(project, slide_id)["steps"]


def finished(project: Path, slide_id: str) -> np.ndarray:
    """The slide's finished picture: its last step's last frame, before the clip's tail (the fade
    to the background after it)."""
    return clip_frames(project, slide_id)[sidecar_of(project, slide_id)["outro"] - 1]


def preview_without_manim(project: Path, *args: str) -> subprocess.CompletedProcess:
    code = (
        "import sys\nfrom explainer.app.cli import main\n"
        f"assert main(['preview', *{list(args)!r}]) == 0\n"
        "assert 'manim' not in sys.modules, 'an unchanged slide started Manim'\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120)


def test_an_unchanged_slides_preview_is_its_last_steps_end_and_starts_no_manim(copy):
    run = preview_without_manim(copy, "a-two")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "media/draft/previews/a-two.png"
    assert "taken from the published clip" in run.stderr
    frames = clip_frames(copy, "a-two")
    assert np.array_equal(still(copy, run.stdout.strip()), finished(copy, "a-two"))
    assert not np.array_equal(finished(copy, "a-two"), frames[-1])   # the clip ends on the background


def test_an_unchanged_slides_step_preview_is_the_last_frame_of_that_step(copy):
    # a-one's steps: chapter (the chapter card), title, bullet-1.
    steps = steps_of(copy, "a-one")
    frames = clip_frames(copy, "a-one")
    run = preview_without_manim(copy, "a-one", "--step", "1")
    assert run.returncode == 0, run.stderr
    shown = still(copy, run.stdout.strip())
    assert np.array_equal(shown, frames[steps[1]["frame"] - 1])
    assert not np.array_equal(shown, frames[-1])


def test_a_modified_or_changed_clip_is_not_trusted(copy):
    lecture = load_lecture(copy / "script.yaml")
    paths = Paths(copy / "media", "draft")
    target = copy / "out.png"
    clip = paths.clip("b-one")
    stat = clip.stat()
    os.utime(clip, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    done, why = preview_from_clip(lecture, lecture.slide("b-one"), paths.preset, paths, None, target)
    assert not done and "modified" in why and not target.exists()
    edit(copy / "script.yaml", "低溫求穩", "高溫求變")
    changed = load_lecture(copy / "script.yaml")
    done, why = preview_from_clip(changed, changed.slide("b-one"), paths.preset, paths, None, target)
    assert not done and "on-screen text or params" in why


def test_a_changed_slide_is_rendered_by_manim_and_says_why(copy):
    edit(copy / "script.yaml", "低溫求穩", "高溫求變")
    run = explainer(copy, "preview", "b-one")
    assert run.returncode == 0, run.stderr
    assert "rendering a still with Manim" in run.stderr and "on-screen text or params" in run.stderr
    shown = still(copy, run.stdout.strip())
    assert shown.shape == finished(copy, "b-one").shape
    assert not np.array_equal(shown, finished(copy, "b-one"))
