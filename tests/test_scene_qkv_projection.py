"""qkv-projection: X W_Q, X W_K, X W_V from seeded matrices, checked by hand; the three views shown."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Text

from explainer.maths import seeded_matrix
from explainer.scenekit.components.matrix import MatrixBlock
from scenes_support import lecture, render_last_frame, scene_class

SLIDE = "qkv-projection"
module = __import__(scene_class(SLIDE).__module__)


def _params(**changes):
    params = {k: (list(v) if isinstance(v, list) else v) for k, v in lecture().slide(SLIDE).params.items()}
    params.update(changes)
    return params


def test_projection_shapes_and_a_hand_worked_entry():
    params = lecture().slide(SLIDE).params
    numbers = module.projection_numbers(params)
    assert numbers["X"].shape == (3, 4)                 # tokens × d_model
    for role in ("Q", "K", "V"):
        assert numbers[f"W_{role}"].shape == (4, 3)     # d_model × d_k
        assert numbers[role].shape == (3, 3)            # tokens × d_k
    assert numbers["X"] == pytest.approx(seeded_matrix(7, 3, 4))
    # Seed 7: X row 1 = (0.0, 0.3, -0.3, -0.9), W_Q column 1 = (-0.9, -0.2, -0.5, 0.7):
    # 0*(-0.9) + 0.3*(-0.2) + (-0.3)*(-0.5) + (-0.9)*0.7 = -0.06 + 0.15 - 0.63 = -0.54
    assert list(numbers["X"][0]) == pytest.approx([0.0, 0.3, -0.3, -0.9])
    assert list(numbers["W_Q"][:, 0]) == pytest.approx([-0.9, -0.2, -0.5, 0.7])
    assert numbers["Q"][0, 0] == pytest.approx(-0.54)
    # Three different matrices give three different views of the same X.
    assert not np.allclose(numbers["Q"], numbers["K"]) and not np.allclose(numbers["K"], numbers["V"])


def _views(scene):
    family = [m for top in scene.mobjects for m in top.get_family()]
    blocks = {m.symbol.get_tex_string(): m for m in family
              if isinstance(m, MatrixBlock) and m.symbol is not None and m.shape[0] == 1}
    texts = {m.original_text for m in family if isinstance(m, Text)}
    return blocks, texts


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return render_last_frame(SLIDE, tmp_path_factory.mktemp("proj"))


def test_scene_ends_on_one_embedding_with_three_views(rendered):
    scene = rendered
    assert [name for name, *_ in scene.step_marks] == ["embeddings", "projections", "three-views"]
    numbers = module.projection_numbers(lecture().slide(SLIDE).params)
    blocks, texts = _views(scene)
    for role in ("Q", "K", "V"):
        assert blocks[role.lower()].values[0] == pytest.approx(numbers[role][-1])
    for view in lecture().slide(SLIDE).params.views:
        assert view in texts
    assert scene.layout_findings == []


def test_a_changed_seed_changes_the_views(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path, params=_params(seed=8))
    blocks, _ = _views(scene)
    expected = module.projection_numbers(_params(seed=8))
    assert blocks["q"].values[0] == pytest.approx(expected["Q"][-1])
    assert not np.allclose(expected["Q"], module.projection_numbers(_params())["Q"])
