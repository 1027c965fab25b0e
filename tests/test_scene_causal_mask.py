"""causal-mask: the example's second sentence (他買了一台蘋果手機) with the future masked, by hand:
the scaled scores, −∞ above the diagonal, weights exactly 0 there, rows adding to 1, and 蘋果's row
before (手機 the most) and after (手機 0, 一台 the most of the earlier words)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber

from explainer.script.load import declared_steps
from explainer.script.model import Params
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.causal_mask import SPEC, causal_numbers, facts, predictions

SLIDE = "causal-mask"
PARAMS = lecture().slide(SLIDE).params
EXAMPLE = lecture().slide(SLIDE).example


def test_the_masked_weights_by_hand():
    n = causal_numbers(EXAMPLE)
    assert n["tokens"] == ["他", "買了", "一台", "蘋果", "手機"] and n["word_at"] == 3
    # 蘋果: x = (.6, .6), q = x W_Q = (.6·-1.5 + .6·-.5, .6·-.5 + .6·1) = (-1.2, .3).
    # Keys k = x W_K: 他 (.6, -.5) → (.6·-1 + -.5·-1.5, .6·1 + -.5·-1.5) = (.15, 1.35);
    # 買了 (.1, .5); 一台 (-.8, -1); 蘋果 (-1.5, -.3); 手機 (-2.15, -1.75).
    # q·k = -.18 + .405 = .225; -.12 + .15 = .03; .96 - .3 = .66; 1.8 - .09 = 1.71; 2.58 - .525 = 2.055
    # ÷ √2 = .159, .021, .467, 1.209, 1.453
    assert n["scaled"][3] == pytest.approx(np.array([0.225, 0.03, 0.66, 1.71, 2.055]) / np.sqrt(2))
    # Unmasked: e^s = 1.172 1.021 1.595 3.351 4.276 (sum 11.415) → .103 .089 .140 .294 .375: 手機 the most.
    assert n["full_weights"][3] == pytest.approx([0.103, 0.089, 0.140, 0.294, 0.375], abs=1e-3)
    assert list(n["full_shown"][3]) == [0.10, 0.09, 0.14, 0.29, 0.38]   # as apple-in-context shows it
    # Masked: 手機's score is −∞ (e^−∞ = 0); 1.172 1.021 1.595 3.351 (sum 7.139) → .164 .143 .223 .469 0.
    assert n["masked_scores"][3][4] == -np.inf
    assert n["masked_weights"][3] == pytest.approx([0.164, 0.143, 0.223, 0.469, 0.0], abs=1e-3)
    assert n["masked_weights"][3][4] == 0.0                            # exactly 0, not merely small
    # Shown to two decimals adding to 1: 16 14 22 46 (= 98) + the two largest remainders (.9 of
    # .469, .4 of .164) → .17 .14 .22 .47 0; 一台 .22 the largest of 他 買了 一台.
    assert list(n["masked_shown"][3]) == [0.17, 0.14, 0.22, 0.47, 0.0]
    # 他 sees only itself: weight 1. 買了: scores -.308, -.12 → e^ .735 .887 → .453 .547.
    assert list(n["masked_weights"][0]) == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert n["masked_weights"][1][:2] == pytest.approx([0.453, 0.547], abs=1e-3)
    # The last word sees everything: its row is the unmasked row.
    assert n["masked_weights"][4] == pytest.approx(n["full_weights"][4])


def test_the_future_is_exactly_zero_and_every_row_adds_to_one():
    n = causal_numbers(EXAMPLE)
    above = np.triu(np.ones((5, 5), bool), k=1)
    assert (n["future"] == above).all()
    assert (n["masked_weights"][above] == 0.0).all() and (n["masked_shown"][above] == 0.0).all()
    assert (n["masked_weights"][~above] > 0).all()
    assert n["masked_weights"].sum(axis=1) == pytest.approx(np.ones(5))
    assert n["row_sums"] == pytest.approx(np.ones(5), abs=1e-9)     # as shown, too


def test_the_facts_the_narration_says():
    found = facts(Params({**PARAMS.as_dict(), "example": EXAMPLE.as_dict()}))
    assert found["sentence"] == "他買了一台蘋果手機" and found["prefix"] == "他買了一台"
    assert found["full_cue_weight"] == 0.38 and found["masked_cue_weight"] == 0.0
    assert (found["self_weight"], found["lean_weight"], found["row_sum"]) == (0.47, 0.22, 1.0)
    assert (found["seen_first"], found["next_first"]) == ("他", "買了")
    assert (found["seen_second"], found["next_second"]) == ("他買了", "一台")
    assert (found["seen_last"], found["next_last"]) == ("他買了一台蘋果", "手機")
    assert found["predictions"] == 4


def test_each_row_is_one_prediction():
    assert predictions(["他", "買了", "一台"]) == [("他", "買了"), ("他買了", "一台"), ("他買了一台", "？")]


def test_the_claims_hold_and_fail_when_the_example_breaks():
    assert SPEC.claims(EXAMPLE, PARAMS) == []
    # Leaning on 他 instead: 一台 (.22) beats 他 (.16) among the earlier words.
    wrong = Params({**PARAMS.as_dict(), "lean_on": "他"})
    assert any("leans most on 一台" in line for line in SPEC.claims(EXAMPLE, wrong))
    # A cue before the word would not be hidden by the mask.
    early = Params({**PARAMS.as_dict(), "future_cue": "一台"})
    assert any("does not come after 蘋果" in line for line in SPEC.claims(EXAMPLE, early))
    # W_Q with its signs flipped: 蘋果 stops attending most to 手機.
    flipped = EXAMPLE.as_dict()
    flipped["w_q"] = [[-w for w in row] for row in flipped["w_q"]]
    assert any("no longer attends most to 手機" in line for line in SPEC.claims(Params(flipped), PARAMS))


def test_rendered_scene_ends_masked_with_every_row_adding_to_one(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    assert [n for n, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide(SLIDE))
    assert scene.layout_findings == []
    n = causal_numbers(EXAMPLE)
    grid = scene.part("grid")
    for i in range(5):
        for j in range(5):
            number = grid.number(i, j)
            if j > i:   # masked: the score's number is hidden, a 0 stands in the dark cell
                assert number.get_fill_opacity() == 0
            else:
                assert number.get_value() == pytest.approx(n["masked_shown"][i, j])
    assert [z.get_tex_string() for z in scene.part("zeros")] == ["0"] * 10
    assert [s.get_tex_string() for s in scene.part("sums")] == [r"\Sigma = 1.00"] * 5
    assert scene.part("before_chart").shown_values == pytest.approx([0.10, 0.09, 0.14, 0.29, 0.38])
    assert scene.part("after_chart").shown_values == pytest.approx([0.17, 0.14, 0.22, 0.47, 0.0])
    lines = ["".join(part.original_text for part in (line[0], line[2])) for line in scene.part("predictions_shown")]
    assert lines == ["他買了", "他買了一台", "他買了一台蘋果", "他買了一台蘋果手機", "他買了一台蘋果手機？"]
    on_screen = [m for top in scene.mobjects for m in top.get_family() if isinstance(m, DecimalNumber)]
    assert on_screen


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("causal-mask", tmp_path)
