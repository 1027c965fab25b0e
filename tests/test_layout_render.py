"""The layout check runs in every render: a text that cannot fit fails its slide with a message
naming the slide, the step and the text, and how many characters fit; the old clip stays."""

from __future__ import annotations

import pytest

from pipeline_support import edit, explainer, manifest

pytestmark = pytest.mark.slow

# Far more than fits under the title even at the smallest size (about 370 characters do).
OVERFLOWING = "溫度越低，模型越傾向選擇機率最高的詞；" * 32


def test_an_overflowing_bullet_fails_its_slide_clearly_and_keeps_the_old_clip(copy):
    old_clip = (copy / "media/draft/clips/b-one.mp4").read_bytes()
    edit(copy / "script.yaml", "bullets: [低溫求穩]", f"bullets: [{OVERFLOWING}]")
    run = explainer(copy, "render", "b-one", timeout=900)
    assert run.returncode == 1, run.stderr
    assert "✗ b-one" in run.stderr and "layout check failed on slide 'b-one'" in run.stderr, run.stderr
    assert "step 'bullet-1'" in run.stderr and OVERFLOWING[:12] in run.stderr, run.stderr
    assert f"of {len(OVERFLOWING)} characters fit" in run.stderr, run.stderr
    assert (copy / "media/draft/clips/b-one.mp4").read_bytes() == old_clip
    slides = {s["id"]: s for s in manifest(copy)["slides"]}
    assert slides["b-one"]["stale"]


def test_a_long_bullet_that_fits_when_wrapped_and_shrunk_renders(copy):
    long = "溫度越低，模型越傾向選擇機率最高的詞，" * 8   # 152 characters: wraps, shrinks, fits
    edit(copy / "script.yaml", "bullets: [低溫求穩]", f"bullets: [{long}]")
    run = explainer(copy, "render", "b-one", timeout=900)
    assert run.returncode == 0, run.stderr
