"""Multi-head slide: each head's weights, their different patterns, concat and W_O, and the render."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber

from scenes_support import lecture, render_last_frame, scene_class

PARAMS = lecture().slide("multi-head").params
head_results = __import__(scene_class("multi-head").__module__).head_results


def test_each_heads_weights_are_rows_summing_to_one():
    result = head_results(PARAMS)
    assert len(result["heads"]) == len(PARAMS.heads)
    for head in result["heads"]:
        assert head["weights"].shape == (len(PARAMS.tokens), len(PARAMS.tokens))
        np.testing.assert_allclose(head["weights"].sum(axis=1), 1.0)


def test_heads_see_different_patterns():
    patterns = [tuple(h["weights"].argmax(axis=1)) for h in head_results(PARAMS)["heads"]]
    assert len(set(patterns)) == len(patterns)
    tokens = list(PARAMS.tokens)
    syntax, semantic, order = patterns
    # 頭 A: subject → verb, modifiers → the object they modify.
    assert tokens[syntax[tokens.index("小貓")]] == "追著"
    assert tokens[syntax[tokens.index("紅色")]] == "球"
    # 頭 B: 紅色 is about the ball; the function word 的 spreads evenly.
    assert tokens[semantic[tokens.index("紅色")]] == "球"
    np.testing.assert_allclose(head_results(PARAMS)["heads"][1]["weights"][tokens.index("的")], 0.2)
    # 頭 C: every word after the first looks at the word before it.
    assert list(order[1:]) == list(range(len(tokens) - 1))


def test_one_row_by_hand():
    # 頭 C, query 紅色 (position code (0, 1)): q = (0·2.1 + 1·2.1, 0·−2.1 + 1·2.1) = (2.1, 2.1);
    # keys are 3 × the position codes, scores q·k / √2, then softmax.
    x = np.asarray(PARAMS.embeddings, float)
    q = np.array([2.1, 2.1])
    keys = 3 * x[:, 6:8]
    scores = keys @ q / np.sqrt(2)
    by_hand = np.exp(scores) / np.exp(scores).sum()
    np.testing.assert_allclose(head_results(PARAMS)["heads"][2]["weights"][2], by_hand)
    assert by_hand.argmax() == 1  # 追著, the word before 紅色
    assert by_hand[1] == pytest.approx(0.75, abs=0.01)


def test_concat_and_output_lengths():
    result = head_results(PARAMS)
    assert result["concat"].shape == (len(PARAMS.tokens), len(PARAMS.heads) * PARAMS.d_head)
    assert result["output"].shape == (len(PARAMS.tokens), len(PARAMS.features))
    first = result["heads"][0]["output"]
    np.testing.assert_allclose(result["concat"][:, : PARAMS.d_head], first)


def _last_row(scene) -> list[float]:
    numbers = [m for m in scene.mobjects for m in m.get_family() if isinstance(m, DecimalNumber)]
    lowest = min(n.get_y() for n in numbers)
    row = sorted((n for n in numbers if abs(n.get_y() - lowest) < 0.05), key=lambda n: n.get_x())
    return [round(n.get_value(), 6) for n in row]


def test_rendered_scene_ends_on_the_projected_vector(tmp_path):
    scene = render_last_frame("multi-head", tmp_path)
    assert [n for n, *_ in scene.step_marks][-5:] == ["embedding", "head-1", "head-2", "head-3", "concat"]
    assert scene.layout_findings == []
    focus = list(PARAMS.tokens).index(PARAMS.focus_token)
    np.testing.assert_allclose(_last_row(scene), head_results(PARAMS)["output"][focus], atol=1e-6)
    # Another focus token changes the vector shown.
    params = dict(PARAMS)
    params["focus_token"] = "小貓"
    other = render_last_frame("multi-head", tmp_path / "other", params=params)
    np.testing.assert_allclose(_last_row(other), head_results(PARAMS)["output"][0], atol=1e-6)
