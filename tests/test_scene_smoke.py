"""Every slide's scene builds, renders its last frame, marks its steps and passes the layout check."""

from __future__ import annotations

import pytest

from scenes_support import lecture, render_last_frame

SLIDE_IDS = [slide.id for slide in lecture().slides]


@pytest.mark.parametrize("slide_id", SLIDE_IDS)
def test_scene_renders_last_frame_with_clean_layout(slide_id, tmp_path):
    scene = render_last_frame(slide_id, tmp_path)
    assert scene.step_marks, "the scene marks no steps (call self.step(...))"
    assert scene.layout_findings == [], "\n".join(scene.layout_findings)
    assert scene.renderer.file_writer.image_file_path.is_file(), "no last frame was written"
