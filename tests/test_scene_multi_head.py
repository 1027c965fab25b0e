"""Multi-head slide: the running example through three heads, their different patterns, concat and
W_O, against hand-worked values; the claims `check` warns about; and the rendered scene."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.script.example import multi_head_numbers, sentence_numbers
from explainer.script.example_fields import check_example
from explainer.script.load import declared_steps
from explainer.script.model import Params
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.multi_head import SPEC

SLIDE = lecture().slide("multi-head")
PARAMS, EXAMPLE = SLIDE.params, SLIDE.example


def numbers() -> dict:
    return multi_head_numbers(EXAMPLE)


def test_head_a_is_the_attention_the_earlier_slides_computed():
    # The same weights and outputs as scaled-dot-product and qkv-flow: the example carries over.
    earlier = sentence_numbers(EXAMPLE, 0)
    np.testing.assert_allclose(numbers()["weights"][0], earlier["weights"])
    np.testing.assert_allclose(numbers()["outputs"][0], earlier["delta"])


def test_every_shown_row_adds_to_exactly_one():
    for shown in numbers()["shown_weights"]:
        assert [round(float(row.sum()), 2) for row in shown] == [1.0] * len(shown)


def test_head_c_row_of_the_word_by_hand():
    # 頭 C: q(蘋果) = (0.6, 0.6)·[[0, -5], [6, -3]] = (3.6, -4.8); W_K = I so k = x:
    # q·k = 我 -0.12, 喜歡 2.52, 吃 3.72, 蘋果 -0.72; ÷√2 → e^s = 0.919, 5.941, 13.880, 0.601
    # (sum 21.341) → weights .0430 .2784 .6504 .0282; W_V = I so Σ w·v = Σ w·x:
    # x: −.0129 + .0835 + .8455 + .0169 = .9330;  y: −.0086 − .0835 + .1301 + .0169 = .0548
    result = numbers()
    at = result["word_at"]
    np.testing.assert_allclose(result["weights"][2][at], [0.043, 0.278, 0.650, 0.028], atol=1e-3)
    np.testing.assert_allclose(result["outputs"][2][at], [0.933, 0.055], atol=1e-3)


def test_heads_see_different_patterns():
    tokens = numbers()["tokens"]
    syntax, meaning, order = ([tokens[j] for j in w.argmax(axis=1)] for w in numbers()["weights"])
    assert syntax[tokens.index("吃")] == "蘋果" and syntax[tokens.index("蘋果")] == "吃"    # verb ↔ object
    assert meaning[tokens.index("我")] == "蘋果" and meaning[tokens.index("蘋果")] == "我"  # who ↔ what is liked
    assert order[1:] == tokens[:-1]                                                       # the word before


def test_concat_then_w_o_by_hand():
    result = numbers()
    at = result["word_at"]
    np.testing.assert_allclose(result["concat"][at], [1.155, -0.039, -0.182, -0.266, 0.933, 0.055], atol=2e-3)
    # W_O takes 0.6 of head A and 0.2 of heads B and C: 0.6·1.155 + 0.2·(−0.182) + 0.2·0.933 = 0.843
    np.testing.assert_allclose(result["output"][at], [0.843, -0.066], atol=2e-3)


def test_check_warns_when_two_heads_would_look_alike():
    example = EXAMPLE.as_dict()
    example["heads"][2] = {**example["heads"][1], "name": "頭 C"}
    claims = SPEC.claims(Params(example), PARAMS)
    assert any("頭 B and 頭 C look at the same words" in claim for claim in claims)
    assert SPEC.claims(EXAMPLE, PARAMS) == []


def test_check_names_what_is_missing_in_the_heads():
    full = EXAMPLE.as_dict()          # multi-head draws every part of the example
    assert check_example(full, None) == []
    half = {**full, "heads": [dict(h) for h in full["heads"]]}
    del half["heads"][1]["w_v"]
    assert any("example.heads[1] needs all of w_q, w_k and w_v" in m for _, m in check_example(half, None))
    short = {**full, "w_o": full["w_o"][:4]}
    assert any("example.w_o must be 6 rows" in m for _, m in check_example(short, None))
    narrow = {**full, "heads": [dict(h) for h in full["heads"]]}
    narrow["heads"][2]["w_q"] = [[1.0], [0.0]]          # one column, while W_K has two
    assert any("example.heads[2] (頭 C)" in m for _, m in check_example(narrow, None))
    lonely = {k: v for k, v in full.items() if k != "w_o"}
    assert any("needs a `w_o:`" in m for _, m in check_example(lonely, None))


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return render_last_frame("multi-head", tmp_path_factory.mktemp("multi-head"))


def test_rendered_scene_shows_the_computed_numbers(scene):
    assert [n for n, *_ in scene.step_marks] == declared_steps(lecture(), SLIDE)
    assert scene.layout_findings == []
    result = numbers()
    at = result["word_at"]
    for grid, shown in zip(scene.part("grids"), result["shown_weights"]):
        np.testing.assert_allclose(grid.values, shown)
    np.testing.assert_allclose(scene.part("concat").vector, result["concat"][at])
    np.testing.assert_allclose(scene.part("w_o_block").values, EXAMPLE.w_o)
    np.testing.assert_allclose(scene.part("result").vector, result["output"][at])
    assert scene.part("illustrative").original_text == PARAMS.labels.illustrative
    assert scene.part("result") in scene.mobjects and scene.part("illustrative") in scene.mobjects


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("multi-head", tmp_path)
