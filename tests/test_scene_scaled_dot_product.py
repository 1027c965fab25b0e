"""scaled-dot-product: QKᵀ, ÷√d_k, row softmax and ×V on the slide's example, checked by hand; the
note saying which attention this is; raw and scaled scores muted, weights in the attention colour;
蘋果's output row pointing back at the qkv-flow slide that printed the same Δx."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Text

from explainer.scenekit.components.attention import AttentionGrid
from explainer.scenekit.components.matrix import MatrixBlock
from explainer.script.load import declared_steps
from explainer.script.model import Params
from scenes_support import assert_renders_cleanly, lecture, render_last_frame, scene_class
from specs.qkv_flow import facts as flow_facts
from specs.scaled_dot_product import attention_numbers, facts

SLIDE = "scaled-dot-product"
module = __import__(scene_class(SLIDE).__module__)


EXAMPLE = lecture().slide(SLIDE).example


def test_numbers_match_hand_worked_values():
    numbers = attention_numbers(EXAMPLE)
    # Q, K, V = X W_Q, X W_K, X W_V (as qkv-projection made them), worked with plain numpy here.
    x = np.array([EXAMPLE.embeddings[t] for t in EXAMPLE.sentences[0]], float)
    q, k, v = (x @ np.array(w, float) for w in (EXAMPLE.w_q, EXAMPLE.w_k, EXAMPLE.w_v))
    scores = q @ k.T
    assert numbers["scores"] == pytest.approx(scores)
    assert numbers["d_k"] == 2 and numbers["sqrt_d_k"] == pytest.approx(1.41421, abs=1e-5)
    assert numbers["scaled"] == pytest.approx(scores / np.sqrt(2))
    e = np.exp(scores / np.sqrt(2))
    assert numbers["weights"] == pytest.approx(e / e.sum(axis=1, keepdims=True))
    assert numbers["output"] == pytest.approx((e / e.sum(axis=1, keepdims=True)) @ v)
    # 蘋果's row by hand: q = (-1.2, 0.3); q·k = -0.72, 0.045, 2.22, 1.71 → weights .06 .11 .49 .34
    assert numbers["scores"][3] == pytest.approx([-0.72, 0.045, 2.22, 1.71])
    assert list(numbers["shown_weights"][3]) == [0.06, 0.11, 0.49, 0.34]
    # What the slide claims: no two words share a row of weights or an output, and every word's
    # output differs from its own value (context changes it).
    for i in range(4):
        for j in range(i + 1, 4):
            assert np.abs(numbers["weights"][i] - numbers["weights"][j]).max() > 0.02
            assert np.abs(numbers["output"][i] - numbers["output"][j]).max() > 0.02
        assert np.abs(numbers["output"][i] - numbers["V"][i]).max() > 0.1


def _seen(slide) -> Params:
    """A slide's params with the shared example, as the pipeline gives them to its spec's facts."""
    return Params({**slide.params.as_dict(), "example": slide.example})


def test_the_word_s_output_points_back_at_the_slide_that_printed_it():
    slide, flow = lecture().slide(SLIDE), lecture().slide("qkv-flow")
    # 蘋果's row of weights × V = .0614·(-.35, -.15) + .1055·(.6, -.6) + .4909·(1.85, -.35) + .3423·(.6, .6)
    #                          = (1.155, -0.039): shown as 1.16, -0.04 here and as qkv-flow's Δx.
    here, there = facts(_seen(slide))["word_output"], flow_facts(_seen(flow))["output"]
    assert here == pytest.approx([1.155, -0.039], abs=1e-3)
    assert [f"{v:.2f}" for v in here] == [f"{v:.2f}" for v in there] == ["1.16", "-0.04"]
    # Named on screen and in the narration by the title that slide shows, and qkv-flow comes first.
    assert f"「{flow.title}」" in slide.params.labels.same_delta
    said = " ".join(segment.text for segment in slide.narration)
    assert f"「{flow.title}」" in said and "1.16 和 -0.04" in said and "上一章流程圖" not in said
    slides = [s.id for s in lecture().slides]
    assert slides.index("qkv-flow") < slides.index(SLIDE)


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
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide(SLIDE))
    numbers = attention_numbers(EXAMPLE)
    grids, outputs, texts = _shown(scene)
    assert len(grids) == 1
    shown_weights = [[grids[0].number(i, j).get_value() for j in range(4)] for i in range(4)]
    assert np.array(shown_weights) == pytest.approx(numbers["shown_weights"])
    assert np.array(shown_weights).sum(axis=1) == pytest.approx(np.ones(4))   # rows visibly add to 1
    assert outputs[0].values == pytest.approx(numbers["output"])
    for row in lecture().slide(SLIDE).params.table:
        assert row.name in texts and row.plain in texts
    assert scene.layout_findings == []


def test_scores_are_muted_and_only_weights_take_the_attention_colour(rendered):
    theme = rendered.theme
    assert rendered.part("tints") == {"scores": theme.muted, "scale": theme.muted, "softmax": theme.attention}
    grid = rendered.part("grid")
    assert {grid.cell(i, j).get_fill_color().to_hex().upper() for i in range(4) for j in range(4)} == \
        {theme.attention.upper()}


def test_the_grid_says_which_attention_it_is(rendered):
    # Every word sees the whole sentence (an encoder, BERT): the muted note, right under the grid.
    labels = lecture().slide(SLIDE).params.labels
    note, grid = rendered.part("note"), rendered.part("grid")
    assert note.original_text == labels.whole_sentence and "BERT" in note.original_text
    assert note in rendered.mobjects and note.get_color().to_hex().upper() == rendered.theme.muted.upper()
    assert 0 < grid.cells.get_bottom()[1] - note.get_top()[1] < 0.3
    # Before the grid, every word was linked to every other word: n·(n-1) arcs.
    assert sum(len(lines.lines) for group in rendered.part("links") for lines in group) == 4 * 3
    assert rendered.part("same_delta").source == labels.same_delta


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("scaled-dot-product", tmp_path)
