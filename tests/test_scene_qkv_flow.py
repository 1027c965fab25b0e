"""qkv-flow: q·k scores, softmax weights and the weighted sum of values, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Text

from explainer.scenekit.components.matrix import VectorBlock
from scenes_support import lecture, render_last_frame, scene_class

SLIDE = "qkv-flow"
module = __import__(scene_class(SLIDE).__module__)


def _params(**changes):
    params = lecture().slide(SLIDE).params.as_dict()
    params.update(changes)
    return params


def test_numbers_match_hand_worked_values():
    numbers = module.flow_numbers(lecture().slide(SLIDE).params)
    # q = (1.0, 1.5): 1.0*0.2 + 1.5*0.1 = 0.35; 0.6 + 0.3 = 0.90; 1.2 + 1.5 = 2.70; 0.5 + 0.9 = 1.40
    assert numbers["scores"] == pytest.approx([0.35, 0.90, 2.70, 1.40])
    # e^0.35 = 1.4191, e^0.9 = 2.4596, e^2.7 = 14.8797, e^1.4 = 4.0552; sum 22.8136
    assert numbers["weights"] == pytest.approx([0.0622, 0.1078, 0.6522, 0.1778], abs=5e-4)
    # o = Σ w_j v_j = (0.0124 + 0.0539 + 0.5870 + 0.1067, 0.0498 + 0.0539 + 0.0652 + 0.1067)
    assert numbers["output"] == pytest.approx([0.760, 0.2756], abs=1e-3)
    # The tip-to-tail chain ends at the output.
    assert numbers["partial_sums"][-1] == pytest.approx(numbers["output"])


def test_dot_product_line_spells_out_the_first_key():
    tex = module.dot_product_tex(np.array([1.0, 1.5]), np.array([0.2, 0.1]), 0, 0.35)
    assert tex == r"q \cdot k_{1} = 1.0 \times 0.2 + 1.5 \times 0.1 = 0.35"


def _shown(scene):
    family = [m for top in scene.mobjects for m in top.get_family()]
    outputs = [m for m in family if isinstance(m, VectorBlock) and m.tint == scene.theme.output]
    texts = {m.original_text for m in family if isinstance(m, Text)}
    return outputs, texts


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return render_last_frame(SLIDE, tmp_path_factory.mktemp("flow"))


def test_scene_ends_on_the_output_vector_with_the_analogy_attached(rendered):
    scene = rendered
    assert [name for name, *_ in scene.step_marks] == [
        "query-and-keys", "dot-products", "softmax", "values", "scale-by-weight", "weighted-sum"]
    outputs, texts = _shown(scene)
    assert len(outputs) == 1
    assert outputs[0].vector == pytest.approx([0.760, 0.2756], abs=1e-3)
    for word in ("關鍵字", "網頁標題", "網頁內容"):
        assert word in texts
    assert scene.layout_findings == []


def test_a_changed_query_changes_the_output(tmp_path):
    # q = 0 scores every key 0: equal weights, so the output is the plain mean of the values.
    scene = render_last_frame(SLIDE, tmp_path, params=_params(query=[0.0, 0.0]))
    outputs, _ = _shown(scene)
    values = np.asarray(lecture().slide(SLIDE).params.values)
    assert outputs[0].vector == pytest.approx(values.mean(axis=0))
