"""apple-in-context: 蘋果's weights from the shared example (Q = XW_Q, K = XW_K, V = XW_V) by
hand, attending most to each sentence's cue, and x + Δx turning toward each sentence's meaning."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber

from explainer.script.load import declared_steps
from explainer.script.model import Params
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.apple_in_context import SPEC, context_vector

SLIDE = "apple-in-context"
PARAMS = lecture().slide(SLIDE).params
EXAMPLE = lecture().slide(SLIDE).example


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
    broken = SPEC.claims(Params(flipped), PARAMS)
    for cue in PARAMS.cues:
        assert any(f"{EXAMPLE.word} no longer attends most to {cue}" in line for line in broken), broken
    assert SPEC.claims(EXAMPLE, PARAMS) == []


def test_each_picture_comes_in_the_step_that_says_it():
    steps = declared_steps(lecture(), lecture().slide(SLIDE))
    assert steps == ["sentences", "projections", "attend-1", "move-1", "attend-2", "move-2", "meaning"]
    said = {}
    for segment in lecture().slide(SLIDE).narration:
        said.setdefault(segment.step, []).append(segment.text)
    # 「兩個句子」 is said while both sentences are shown (the first step draws both).
    assert any("兩個句子" in text and "我喜歡吃蘋果" in text and "他買了一台蘋果手機" in text
               for text in said["sentences"])
    # A sentence's weights are said in its attend step, its Δx and x + Δx in its move step.
    for index, cue in enumerate(PARAMS.cues):
        assert any(f"「{cue}」" in text for text in said[f"attend-{index + 1}"])
        assert all("Δx" not in text for text in said[f"attend-{index + 1}"])
        assert any("x 加上 Δx" in text and PARAMS.axes[index] in text for text in said[f"move-{index + 1}"])


def test_rendered_scene_ends_on_both_sentences_and_both_meanings(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    assert [n for n, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide(SLIDE))
    assert scene.layout_findings == []
    rows = scene.part("rows")
    assert [row.tokens for row in rows] == [list(s) for s in EXAMPLE.sentences]
    # Both rows of weights stay, each adding to 1 as shown: 吃 .49 in sentence 1; in sentence 2
    # .1027 .0895 .1397 .2935 .3746 round to .10 .09 .14 .29 .37 (.99), so the one rounded down
    # the most (.3746 - .37 = .0046) takes the last hundredth: 手機 .38.
    for index, numbers in enumerate(scene.part("weights")):
        shown = [round(n.get_value(), 6) for n in numbers]
        assert shown == pytest.approx(list(context_vector(EXAMPLE, index)["shown_weights"]), abs=1e-6)
        assert sum(shown) == pytest.approx(1.0)
    assert [round(n.get_value(), 2) for n in scene.part("weights")[0]] == [0.06, 0.11, 0.49, 0.34]
    assert [round(n.get_value(), 2) for n in scene.part("weights")[1]] == [0.10, 0.09, 0.14, 0.29, 0.38]
    family = [m for top in scene.mobjects for m in top.get_family()]
    assert len([m for m in family if isinstance(m, DecimalNumber)]) == 4 + 5
    outputs = scene.part("outputs")
    assert len(outputs) == 2 and all(output in scene.mobjects for output in outputs)
    assert [caption.source for caption in scene.part("captions")] == list(lecture().slide(SLIDE).bullets)


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("apple-in-context", tmp_path)
