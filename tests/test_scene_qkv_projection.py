"""qkv-projection: X W_Q, X W_K, X W_V of the shared example, checked by hand; the three views shown;
it comes before qkv-flow, which uses the q and K made here, and points at no later slide."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Text

from explainer.scenekit.components.matrix import MatrixBlock
from explainer.script.model import Params
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.qkv_projection import facts, projection_numbers
from specs.scaled_dot_product import attention_numbers

SLIDE = "qkv-projection"
EXAMPLE = lecture().slide(SLIDE).example


def test_projection_shapes_and_hand_worked_entries():
    numbers = projection_numbers(EXAMPLE)
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
    shared = attention_numbers(lecture().slide("scaled-dot-product").example)
    for role in ("Q", "K", "V"):
        assert np.allclose(shared[role], numbers[role])


def test_it_comes_before_the_slide_that_uses_its_q_and_k():
    chapter = [s.id for s in lecture().chapter("qkv").slides]
    assert chapter.index(SLIDE) < chapter.index("qkv-flow")
    # Its narration explains where Q, K, V come from and says q's numbers, pointing forward nowhere.
    said = " ".join(segment.text for segment in lecture().slide(SLIDE).narration)
    assert "下一章" not in said and "下一張" not in said
    assert "-1.20、0.30" in said
    # 蘋果's q = (0.6, 0.6) W_Q = (-1.2, 0.3): the q qkv-flow starts from.
    slide = lecture().slide(SLIDE)
    assert facts(Params({**slide.params.as_dict(), "example": slide.example}))["word_q"] == pytest.approx([-1.2, 0.3])


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
    numbers = projection_numbers(EXAMPLE)
    blocks, texts = _views(scene)
    for role in ("Q", "K", "V"):
        assert blocks[role.lower()].values[0] == pytest.approx(numbers[role][numbers["word_at"]])
    for view in lecture().slide(SLIDE).params.views:
        assert view in texts


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("qkv-projection", tmp_path)
