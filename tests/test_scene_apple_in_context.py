"""apple-in-context: 蘋果's weights from the shared example (Q = XW_Q, K = XW_K, V = XW_V) by
hand, attending most to each sentence's cue, and x + Δx turning toward each sentence's meaning."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber

from explainer.script.example import broken_claims
from explainer.script.model import Params
from scenes_support import assert_renders_cleanly, lecture, render_last_frame, scene_class

SLIDE = "apple-in-context"
PARAMS = lecture().slide(SLIDE).params
EXAMPLE = lecture().slide(SLIDE).example
context_vector = __import__(scene_class(SLIDE).__module__).context_vector


def _by_hand(index: int) -> dict:
    tokens = list(EXAMPLE.sentences[index])
    x = np.array([EXAMPLE.embeddings[t] for t in tokens], float)
    q, k, v = (x @ np.array(w, float) for w in (EXAMPLE.w_q, EXAMPLE.w_k, EXAMPLE.w_v))
    at = tokens.index(EXAMPLE.word)
    e = np.exp(k @ q[at] / np.sqrt(EXAMPLE.d_k))
    weights = e / e.sum()
    return {"tokens": tokens, "weights": weights, "x": x[at], "output": x[at] + weights @ v}


def _angle(v) -> float:
    return float(np.degrees(np.arctan2(v[1], v[0])))


@pytest.mark.parametrize("index", [0, 1])
def test_each_sentence_by_hand(index):
    hand, result = _by_hand(index), context_vector(EXAMPLE, index)
    assert result["weights"] == pytest.approx(hand["weights"])
    assert result["output"] == pytest.approx(hand["output"])
    # 蘋果 attends most to the cue (吃, then 手機), visibly more than to anything else.
    cue = hand["tokens"].index(PARAMS.cues[index])
    others = np.delete(hand["weights"], cue)
    assert hand["weights"][cue] - others.max() > 0.05
    # x + Δx turns toward 水果 (sentence 1) or 科技品牌 (sentence 2).
    turn = _angle(hand["output"]) - _angle(hand["x"])
    assert (turn < -10) if index == 0 else (turn > 10)


def test_by_hand_with_the_scripted_numbers():
    # 我喜歡吃蘋果: q·k = -0.72, 0.045, 2.22, 1.71 → 0.061 0.105 0.491 0.342
    assert context_vector(EXAMPLE, 0)["weights"] == pytest.approx([0.061, 0.105, 0.491, 0.342], abs=1e-3)
    # 他買了一台蘋果手機: q·k = 0.225, 0.03, 0.66, 1.71, 2.055 → 0.103 0.089 0.140 0.294 0.375
    assert context_vector(EXAMPLE, 1)["weights"] == pytest.approx([0.103, 0.089, 0.140, 0.294, 0.375], abs=1e-3)


def test_the_claims_fail_for_a_degenerate_example():
    # W_Q with its signs flipped: every query points away from the keys it matched.
    flipped = EXAMPLE.as_dict()
    flipped["w_q"] = [[-w for w in row] for row in flipped["w_q"]]
    broken = broken_claims("AppleInContext", Params(flipped), PARAMS)
    for cue in PARAMS.cues:
        assert any(f"{EXAMPLE.word} no longer attends most to {cue}" in line for line in broken), broken
    assert broken_claims("AppleInContext", EXAMPLE, PARAMS) == []


def test_rendered_scene_ends_on_sentence_two(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    assert [n for n, *_ in scene.step_marks][-2:] == ["sentence-1", "sentence-2"]
    assert scene.layout_findings == []
    shown = [round(m.get_value(), 6) for top in scene.mobjects for m in top.get_family()
             if isinstance(m, DecimalNumber)]
    expected = context_vector(EXAMPLE, 1)["shown_weights"]
    assert sorted(shown) == pytest.approx(sorted(expected), abs=1e-6)
    assert sum(shown) == pytest.approx(1.0)


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("apple-in-context", tmp_path)
