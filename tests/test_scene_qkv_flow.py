"""qkv-flow: 蘋果's q·k scores, ÷√d_k, e^s ÷ Σ, weights, Δx = Σ w·v and x + Δx, checked by hand; it
comes after qkv-projection (which made its q and K) and ends with Δx and x + Δx printed."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber, MathTex, Text

from explainer.scenekit.components.matrix import VectorBlock
from explainer.script.model import Params
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.qkv_flow import dot_product_tex, facts, flow_numbers, pair_tex

SLIDE = "qkv-flow"
EXAMPLE = lecture().slide(SLIDE).example


def test_numbers_match_hand_worked_values():
    numbers = flow_numbers(EXAMPLE)
    x = {t: np.array(EXAMPLE.embeddings[t], float) for t in EXAMPLE.sentences[0]}
    w_q, w_k, w_v = (np.array(m, float) for m in (EXAMPLE.w_q, EXAMPLE.w_k, EXAMPLE.w_v))
    # q = x_蘋果 W_Q, each key x_t W_K, written out term by term.
    q = np.array([sum(x[EXAMPLE.word][i] * w_q[i, j] for i in range(2)) for j in range(2)])
    keys = [np.array([sum(x[t][i] * w_k[i, j] for i in range(2)) for j in range(2)]) for t in x]
    scores = np.array([q @ k for k in keys])
    exp = np.exp(scores / np.sqrt(EXAMPLE.d_k))
    assert numbers["query"] == pytest.approx(q)
    assert numbers["scores"] == pytest.approx(scores)
    assert numbers["exp"] == pytest.approx(exp)
    assert numbers["weights"] == pytest.approx(exp / exp.sum())
    # With the scripted example: q = (-1.2, 0.3), scores -0.72 0.045 2.22 1.71, Σe^s = 9.79.
    assert numbers["scores"] == pytest.approx([-0.72, 0.045, 2.22, 1.71])
    assert numbers["exp_sum"] == pytest.approx(9.790, abs=1e-3)
    # The chain of w·v ends at Δx; x + Δx = (0.6, 0.6) + (1.155, -0.039).
    assert numbers["partial_sums"][-1] == pytest.approx(numbers["delta"])
    values = np.array([[sum(x[t][i] * w_v[i, j] for i in range(2)) for j in range(2)] for t in x])
    assert numbers["delta"] == pytest.approx((exp / exp.sum()) @ values)
    assert numbers["updated"] == pytest.approx([1.755, 0.561], abs=1e-3)


def test_facts_say_q_delta_and_x_plus_delta_as_printed():
    slide = lecture().slide(SLIDE)
    said = facts(Params({**slide.params.as_dict(), "example": slide.example}))   # as the pipeline passes them
    # q = x_蘋果 W_Q = (0.6·-1.5 + 0.6·-0.5, 0.6·-0.5 + 0.6·1.0) = (-1.2, 0.3)
    assert said["query"] == pytest.approx([-1.2, 0.3])
    # Δx = .0614·(-.35, -.15) + .1055·(.6, -.6) + .4909·(1.85, -.35) + .3423·(.6, .6) = (1.155, -0.039)
    assert said["output"] == pytest.approx([1.155, -0.039], abs=1e-3)
    assert said["x"] == [0.6, 0.6]
    # x + Δx = (0.6 + 1.155, 0.6 - 0.039) = (1.755, 0.561)
    assert said["updated"] == pytest.approx([1.755, 0.561], abs=1e-3)
    assert pair_tex(said["output"]) == r"(1.16,\ -0.04)"     # the slide prints Δx = (1.16, −0.04)


def test_it_follows_the_slide_that_made_q_and_k():
    chapter = [s.id for s in lecture().chapter("qkv").slides]
    assert chapter.index("qkv-projection") < chapter.index(SLIDE)
    assert chapter[0] == "qkv-analogy"                         # the chapter card stays on the first slide


def test_dot_product_line_spells_out_a_key():
    tex = dot_product_tex(np.array([-1.2, 0.3]), np.array([0.15, 0.75]), 1, 0.045)
    # Negative factors get brackets, so the signs read as signs.
    assert tex == r"q \cdot k_{2} = (-1.20) \times (0.15) + 0.30 \times 0.75 = 0.04"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return render_last_frame(SLIDE, tmp_path_factory.mktemp("flow"))


def test_scene_ends_on_x_plus_delta_x_with_values_and_weights_in_view(rendered):
    scene = rendered
    assert scene.layout_findings == []
    numbers = flow_numbers(EXAMPLE)
    family = [m for top in scene.mobjects for m in top.get_family()]
    blocks = [m for m in family if isinstance(m, VectorBlock)]
    # The last vector is x + Δx; the value rows stay on screen.
    assert any(b.vector == pytest.approx(numbers["updated"]) for b in blocks)
    for value in numbers["values"]:
        assert any(b.vector == pytest.approx(value) for b in blocks)
    # The column ends holding the weights as shown (two decimals adding to 1), under 權重.
    decimals = [round(m.get_value(), 6) for m in family if isinstance(m, DecimalNumber)]
    for weight in numbers["shown_weights"]:
        assert weight in decimals
    texts = {m.original_text for m in family if isinstance(m, Text)}
    assert "權重" in texts
    for word in lecture().slide(SLIDE).params.analogy.as_dict().values():
        assert word in texts
    assert any(m.get_tex_string().startswith("x + \\Delta x") for m in family if isinstance(m, MathTex))
    # Δx = Σ w·v is printed with its value (scaled-dot-product points back at this number).
    sums = [m.get_tex_string() for m in family if isinstance(m, MathTex) and "\\sum_j" in m.get_tex_string()]
    assert sums and sums[0].endswith(r"=(1.16,\ -0.04)"), sums


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("qkv-flow", tmp_path)
