"""ai-landscape: nested ML ⊃ DL ⊃ Transformer, GenAI overlapping it, the models inside the overlap."""

from __future__ import annotations

import numpy as np

from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.ai_landscape import DL, GENAI, ML, TRANSFORMER, overlap_span

SLIDE = "ai-landscape"


def corners(mobject) -> list[np.ndarray]:
    return [mobject.get_corner(d) for d in ([-1, 1, 0], [1, 1, 0], [-1, -1, 0], [1, -1, 0])]


def test_regions_nest_and_overlap():
    assert ML.contains(np.array(DL.center)) and DL.contains(np.array(TRANSFORMER.center))
    # Transformer and GenAI overlap, but neither contains the other's centre.
    left, right = overlap_span(TRANSFORMER, GENAI, TRANSFORMER.center[1])
    assert right - left > 1.0
    assert not GENAI.contains(np.array(TRANSFORMER.center))
    # Hand-worked: ellipse half-width at its centre is width/2, at y = centre ± height/2 it is 0.
    assert TRANSFORMER.half_width_at(-1.2) == 2.1 and TRANSFORMER.half_width_at(0.25) == 0


def test_models_sit_inside_both_transformer_and_genai(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    params = lecture().slide(SLIDE).params
    assert [label.original_text for label in scene.part("models")] == list(params.models)
    for label in scene.part("models"):
        for corner in corners(label):
            assert TRANSFORMER.contains(corner) and GENAI.contains(corner), label.original_text
    region_labels = scene.part("region_labels")
    names = {key: label.original_text for key, label in region_labels.items()}
    assert names == {"ml": params.ml, "dl": params.dl, "transformer": params.transformer, "genai": params.genai}
    # The Transformer label sits in Transformer only, the GenAI label in GenAI only.
    assert not GENAI.contains(region_labels["transformer"].get_center())
    assert not TRANSFORMER.contains(region_labels["genai"].get_center())


def test_changed_models_change_the_scene(tmp_path):
    params = dict(lecture().slide(SLIDE).params)
    params.update(models=["Claude", "Mistral", "Qwen", "GPT-4"], genai="GenAI")
    scene = render_last_frame(SLIDE, tmp_path, params=params)
    assert [label.original_text for label in scene.part("models")] == ["Claude", "Mistral", "Qwen", "GPT-4"]
    assert scene.part("region_labels")["genai"].original_text == "GenAI"
    for label in scene.part("models"):
        assert all(TRANSFORMER.contains(c) and GENAI.contains(c) for c in corners(label))
    assert scene.layout_findings == []


def test_genai_is_drawn_in_a_neutral_colour_not_a_meaning_role(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    theme = lecture().theme
    assert scene.part("region_labels")["genai"].get_fill_color().to_hex().lower() == theme.text.lower()
    # No category wears the highlight (it means "being computed now"): not on the finished slide.
    drawn = set()
    for mobject in scene.mobjects:
        for part in mobject.get_family():
            if part.has_points() and part.get_stroke_opacity() > 0 and part.get_stroke_width() > 0.01:
                drawn.add(part.get_stroke_color().to_hex().lower())
            if part.has_points() and part.get_fill_opacity() > 0:
                drawn.add(part.get_fill_color().to_hex().lower())
    assert theme.highlight.lower() not in drawn
    assert drawn <= {theme.palette[role].lower() for role in ("text", "muted", "accent", "panel")}


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("ai-landscape", tmp_path)
