"""qkv-projection: X W_Q, X W_K, X W_V of the shared example, checked by hand; the three views shown."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Text

from explainer.scenekit.components.matrix import MatrixBlock
from scenes_support import assert_renders_cleanly, lecture, render_last_frame, scene_class

SLIDE = "qkv-projection"
module = __import__(scene_class(SLIDE).__module__)
EXAMPLE = lecture().slide(SLIDE).example


def test_projection_shapes_and_hand_worked_entries():
    numbers = module.projection_numbers(EXAMPLE)
    tokens = list(EXAMPLE.sentences[0])
    assert numbers["X"].shape == (len(tokens), 2)
    for role in ("Q", "K", "V"):
        assert numbers[role].shape == (len(tokens), 2)
    # 蘋果 = (0.6, 0.6); W_Q columns (-1.5, -0.5) and (-0.5, 1.0): q = (-0.9 - 0.3, -0.3 + 0.6)
    at = tokens.index(EXAMPLE.word)
    assert numbers["Q"][at] == pytest.approx([-1.2, 0.3])
    # W_K columns (-1.0, -1.5), (1.0, -1.5): k = (-0.6 - 0.9, 0.6 - 0.9)
    assert numbers["K"][at] == pytest.approx([-1.5, -0.3])
    # W_V columns (1.5, -0.5), (-0.5, 1.5): v = (0.9 - 0.3, -0.3 + 0.9)
    assert numbers["V"][at] == pytest.approx([0.6, 0.6])
    # The same Q, K, V are what scaled-dot-product attends over.
    other = __import__(scene_class("scaled-dot-product").__module__)
    shared = other.attention_numbers(lecture().slide("scaled-dot-product").example)
    for role in ("Q", "K", "V"):
        assert np.allclose(shared[role], numbers[role])


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
    assert scene.layout_findings == []
    numbers = module.projection_numbers(EXAMPLE)
    blocks, texts = _views(scene)
    for role in ("Q", "K", "V"):
        assert blocks[role.lower()].values[0] == pytest.approx(numbers[role][numbers["word_at"]])
    for view in lecture().slide(SLIDE).params.views:
        assert view in texts


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("qkv-projection", tmp_path)
