"""scaled-dot-product: QKᵀ, ÷√d_k, row softmax and ×V on the slide's example, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Text

from explainer.scenekit.components.attention import AttentionGrid
from explainer.scenekit.components.matrix import MatrixBlock
from scenes_support import lecture, render_last_frame, scene_class

SLIDE = "scaled-dot-product"
module = __import__(scene_class(SLIDE).__module__)


def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    return value


def test_numbers_match_hand_worked_values():
    numbers = module.attention_numbers(lecture().slide(SLIDE).params)
    # q1 = (1,0,1,0) · k1 = (1,0,0,1) → 1, · k2 = (0,1,1,0) → 1, · k3 = (1,1,0,0) → 1
    # q2 = (0,2,0,1) → 1, 2, 2;   q3 = (1,1,1,0) → 1, 2, 2
    assert numbers["scores"] == pytest.approx(np.array([[1, 1, 1], [1, 2, 2], [1, 2, 2]]))
    assert numbers["d_k"] == 4 and numbers["sqrt_d_k"] == 2.0
    assert numbers["scaled"] == pytest.approx(numbers["scores"] / 2)
    # Row 1: equal scores → 1/3 each. Row 2: e^0.5 = 1.6487, e^1 = 2.7183; sum 7.0853
    assert numbers["weights"][0] == pytest.approx([1 / 3] * 3)
    assert numbers["weights"][1] == pytest.approx([0.2327, 0.3837, 0.3837], abs=5e-4)
    assert numbers["weights"].sum(axis=1) == pytest.approx([1, 1, 1])
    # ×V with V = (1,0), (0,1), (0.5,0.5): row 1 → (0.5, 0.5); row 2 → (0.2327 + 0.1918, 0.3837 + 0.1918)
    assert numbers["output"][0] == pytest.approx([0.5, 0.5])
    assert numbers["output"][1] == pytest.approx([0.4245, 0.5755], abs=5e-4)


def test_formula_terms_cover_each_stage():
    names = [name for name, _ in module.FORMULA_TERMS]
    for stage in module.STAGE_TERMS:
        assert all(term in names for term in stage)
    assert len(module.STAGE_TERMS) == len(lecture().slide(SLIDE).params.table) == 4


def _shown(scene):
    family = [m for top in scene.mobjects for m in top.get_family()]
    grids = [m for m in family if isinstance(m, AttentionGrid)]
    outputs = [m for m in family if isinstance(m, MatrixBlock) and m.tint == scene.theme.output]
    texts = {m.original_text for m in family if isinstance(m, Text)}
    return grids, outputs, texts


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return render_last_frame(SLIDE, tmp_path_factory.mktemp("sdp"))


def test_scene_ends_on_weights_output_and_the_symbol_table(rendered):
    scene = rendered
    assert [name for name, *_ in scene.step_marks][-6:] == [
        "formula", "scores", "scale", "softmax", "times-v", "summary"]
    numbers = module.attention_numbers(lecture().slide(SLIDE).params)
    grids, outputs, texts = _shown(scene)
    assert len(grids) == 1
    shown_weights = [[grids[0].number(i, j).get_value() for j in range(3)] for i in range(3)]
    assert np.array(shown_weights) == pytest.approx(numbers["weights"])
    assert outputs[0].values == pytest.approx(numbers["output"])
    for row in lecture().slide(SLIDE).params.table:
        assert row.name in texts and row.plain in texts
    assert scene.layout_findings == []


def test_changed_values_change_the_output(tmp_path):
    params = _plain(lecture().slide(SLIDE).params)
    params["values"] = [[2.0, 0.0], [0.0, 2.0], [1.0, 1.0]]
    scene = render_last_frame(SLIDE, tmp_path, params=params)
    _, outputs, _ = _shown(scene)
    assert outputs[0].values[0] == pytest.approx([1.0, 1.0])
