"""ai-landscape: nested ML ⊃ DL ⊃ Transformer, GenAI overlapping it, the models inside the overlap."""

from __future__ import annotations

import sys

import numpy as np

from scenes_support import assert_renders_cleanly, lecture, render_last_frame, scene_class

SLIDE = "ai-landscape"


def module():
    return sys.modules[scene_class(SLIDE).__module__]


def corners(mobject) -> list[np.ndarray]:
    return [mobject.get_corner(d) for d in ([-1, 1, 0], [1, 1, 0], [-1, -1, 0], [1, -1, 0])]


def test_regions_nest_and_overlap():
    m = module()
    assert m.ML.contains(np.array(m.DL.center)) and m.DL.contains(np.array(m.TRANSFORMER.center))
    # Transformer and GenAI overlap, but neither contains the other's centre.
    left, right = m.overlap_span(m.TRANSFORMER, m.GENAI, m.TRANSFORMER.center[1])
    assert right - left > 1.0
    assert not m.GENAI.contains(np.array(m.TRANSFORMER.center))
    # Hand-worked: ellipse half-width at its centre is width/2, at y = centre ± height/2 it is 0.
    assert m.TRANSFORMER.half_width_at(-1.2) == 2.1 and m.TRANSFORMER.half_width_at(0.25) == 0


def test_models_sit_inside_both_transformer_and_genai(tmp_path):
    m = module()
    scene = render_last_frame(SLIDE, tmp_path)
    params = lecture().slide(SLIDE).params
    assert [label.original_text for label in scene.part("models")] == list(params.models)
    for label in scene.part("models"):
        for corner in corners(label):
            assert m.TRANSFORMER.contains(corner) and m.GENAI.contains(corner), label.original_text
    region_labels = scene.part("region_labels")
    names = {key: label.original_text for key, label in region_labels.items()}
    assert names == {"ml": params.ml, "dl": params.dl, "transformer": params.transformer, "genai": params.genai}
    # The Transformer label sits in Transformer only, the GenAI label in GenAI only.
    assert not m.GENAI.contains(region_labels["transformer"].get_center())
    assert not m.TRANSFORMER.contains(region_labels["genai"].get_center())


def test_changed_models_change_the_scene(tmp_path):
    m = module()
    params = dict(lecture().slide(SLIDE).params)
    params.update(models=["Claude", "Mistral", "Qwen", "GPT-4"], genai="GenAI")
    scene = render_last_frame(SLIDE, tmp_path, params=params)
    assert [label.original_text for label in scene.part("models")] == ["Claude", "Mistral", "Qwen", "GPT-4"]
    assert scene.part("region_labels")["genai"].original_text == "GenAI"
    for label in scene.part("models"):
        assert all(m.TRANSFORMER.contains(c) and m.GENAI.contains(c) for c in corners(label))
    assert scene.layout_findings == []


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("ai-landscape", tmp_path)
