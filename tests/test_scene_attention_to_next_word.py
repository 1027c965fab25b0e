"""Slide 'attention-to-next-word': 「我喜歡吃＿」 from masked attention at 吃, through x + Δx and the
vocabulary matrix, to logits, softmax and the next word — every number worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.script.load import load_lecture
from explainer.script.model import Params, plain
from keys_support import copy_project
from pipeline_support import edit
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.attention_to_next_word import claims, dot_product_tex, facts, next_word_numbers

# A copy of the slide's vocabulary in script.yaml (the lecturer may edit the script; these tests
# keep the numbers worked below).
VOCABULARY = [
    {"word": "蘋果", "vector": [1.0, 0.3]},
    {"word": "飯", "vector": [0.8, 0.0]},
    {"word": "麵", "vector": [0.6, -0.2]},
    {"word": "手機", "vector": [-0.2, 1.0]},
    {"word": "書", "vector": [-0.3, 0.8]},
]


def example() -> Params:
    found = lecture().slide("attention-to-next-word").example
    assert found is not None
    return found


def vocabulary(entries=VOCABULARY) -> list[Params]:
    return [Params(entry) for entry in entries]


def numbers(entries=VOCABULARY) -> dict:
    return next_word_numbers(example(), vocabulary(entries))


def near(value: object, tolerance: float = 1e-3) -> object:
    return pytest.approx(value, abs=tolerance)


def test_the_prompt_is_the_example_sentence_without_its_last_word():
    n = numbers()
    assert n["prompt"] == ["我", "喜歡", "吃"] and n["left_out"] == "蘋果"
    assert n["last"] == 2 and n["last_word"] == "吃"


def test_masked_attention_at_chi_by_hand():
    n = numbers()
    # x: 我 (-0.3, -0.2), 喜歡 (0.3, -0.3), 吃 (1.3, 0.2)
    # q_吃 = x_吃 W_Q = (1.3·-1.5 + 0.2·-0.5, 1.3·-0.5 + 0.2·1.0) = (-2.05, -0.45)
    assert n["query"] == near([-2.05, -0.45])
    # k = x W_K: 我 (0.3 + 0.3, -0.3 + 0.3) = (0.6, 0); 喜歡 (-0.3 + 0.45, 0.3 + 0.45) = (0.15, 0.75);
    #            吃 (-1.3 - 0.3, 1.3 - 0.3) = (-1.6, 1.0)
    assert n["keys"] == near(np.array([[0.6, 0.0], [0.15, 0.75], [-1.6, 1.0]]))
    # q·k: -2.05·0.6 = -1.23; -2.05·0.15 - 0.45·0.75 = -0.3075 - 0.3375 = -0.645; 3.28 - 0.45 = 2.83
    assert n["scores"] == near([-1.23, -0.645, 2.83])
    # ÷√2: -0.8697, -0.4561, 2.0011 (吃 sees 我, 喜歡 and itself: nothing later is in the prompt)
    assert n["scaled"] == near([-0.8697, -0.4561, 2.0011])
    # e^: 0.4191, 0.6338, 7.3973; sum 8.4501 → 0.0496, 0.0750, 0.8754
    assert n["weights"] == near([0.0496, 0.0750, 0.8754])
    # Shown with three decimals they add to exactly 1 (0.050 + 0.075 + 0.875); with two, rounded one
    # by one, 0.05 + 0.08 + 0.88 would make 1.01.
    assert list(n["shown_weights"]) == [0.050, 0.075, 0.875]
    # v = x W_V: 我 (-0.45 + 0.1, 0.15 - 0.3) = (-0.35, -0.15); 喜歡 (0.45 + 0.15, -0.15 - 0.45) = (0.6, -0.6);
    #            吃 (1.95 - 0.1, -0.65 + 0.3) = (1.85, -0.35)
    assert n["values"] == near(np.array([[-0.35, -0.15], [0.6, -0.6], [1.85, -0.35]]))
    # Δx = 0.0496·(-0.35, -0.15) + 0.0750·(0.6, -0.6) + 0.8754·(1.85, -0.35)
    #    = (-0.0174 + 0.0450 + 1.6195, -0.0074 - 0.0450 - 0.3064) = (1.6471, -0.3588) → (1.65, -0.36)
    assert n["delta"] == near([1.6471, -0.3588])
    # x + Δx = (1.3 + 1.6471, 0.2 - 0.3588) = (2.9471, -0.1588) → (2.95, -0.16)
    assert n["x"] == near([1.3, 0.2])
    assert n["h"] == near([2.9471, -0.1588])


def test_the_future_is_masked_before_softmax():
    from specs.attention_to_next_word import causal_weights

    grid = causal_weights(np.array([[1.0, 5.0, 9.0], [0.0, 0.0, 9.0], [0.0, 0.0, 0.0]]))
    # Row 0 sees only itself, row 1 two words (equal scores: 0.5 each), row 2 all three (1/3 each).
    assert grid == near(np.array([[1, 0, 0], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3]]))
    assert grid[0, 1] == 0.0 and grid[1, 2] == 0.0


def test_logits_and_probabilities_by_hand():
    n = numbers()
    assert n["words"] == ["蘋果", "飯", "麵", "手機", "書"]
    # z = W h, h = (2.9471, -0.1588):
    # 蘋果 1.0·2.9471 + 0.3·-0.1588 = 2.9471 - 0.0476 = 2.8995
    # 飯   0.8·2.9471 + 0                  = 2.3577
    # 麵   0.6·2.9471 - 0.2·-0.1588 = 1.7683 + 0.0318 = 1.8000
    # 手機 -0.2·2.9471 + 1.0·-0.1588 = -0.5894 - 0.1588 = -0.7483
    # 書   -0.3·2.9471 + 0.8·-0.1588 = -0.8841 - 0.1271 = -1.0112
    assert n["logits"] == near([2.8995, 2.3577, 1.8000, -0.7483, -1.0112])
    # e^z: 18.165, 10.567, 6.050, 0.473, 0.364; sum 35.619 → .5100 .2967 .1698 .0133 .0102
    assert n["probs"] == near([0.5100, 0.2967, 0.1698, 0.0133, 0.0102])
    # As the bars print them: two decimals, each its own rounding, adding to exactly 1.00
    assert list(n["shown_probs"]) == [0.51, 0.30, 0.17, 0.01, 0.01]
    assert n["top"] == 0


def test_the_dot_products_on_screen_add_up_with_the_numbers_on_screen():
    n = numbers()
    shown_h = np.round(n["h"], 2)
    assert list(shown_h) == [2.95, -0.16]
    for vector, logit in zip(n["matrix"], n["logits"]):
        # what a student gets from the printed numbers is the printed logit
        assert f"{float(shown_h @ vector):.2f}" == f"{logit:.2f}"
    assert dot_product_tex(shown_h, n["matrix"][0], n["logits"][0]) == r"2.95 \times 1.0 + (-0.16) \times 0.3 = 2.90"
    assert dot_product_tex(shown_h, n["matrix"][3], n["logits"][3]) == \
        r"2.95 \times (-0.2) + (-0.16) \times 1.0 = -0.75"


def test_facts_the_narration_says():
    slide = lecture().slide("attention-to-next-word")
    said = facts(Params({**plain(slide.params), "vocabulary": VOCABULARY, "example": plain(example())}))
    assert said["prompt"] == "我喜歡吃" and said["sentence"] == "我喜歡吃蘋果"
    assert said["visible"] == "我、喜歡、吃" and said["last_word"] == "吃" and said["d_k"] == 2
    assert said["weights"] == [0.050, 0.075, 0.875]
    assert said["delta"] == near([1.6471, -0.3588]) and said["h"] == near([2.9471, -0.1588])
    assert said["logit_list"] == "「蘋果」2.90、「飯」2.36、「麵」1.80、「手機」-0.75、「書」-1.01"
    assert said["probs"] == [0.51, 0.30, 0.17, 0.01, 0.01]
    assert (said["top_word"], said["top_prob"], said["second_word"], said["second_prob"]) == ("蘋果", 0.51, "飯", 0.30)
    assert said["near_words"] == "「蘋果」、「飯」和「麵」" and said["far_words"] == "「手機」和「書」"


def test_the_scripted_slide_keeps_its_claim_and_an_edit_that_breaks_it_warns():
    slide = lecture().slide("attention-to-next-word")
    assert claims(example(), slide.params) == []
    params = plain(slide.params)
    params["vocabulary"][1]["vector"] = [1.2, 0.0]      # 飯: 1.2·2.9471 = 3.5365 > 2.8995
    found = claims(example(), Params(params))
    assert len(found) == 1 and found[0].startswith("飯 (0.") and "more likely than 蘋果" in found[0]
    params["vocabulary"][1]["vector"] = [1.0, 0.3]      # 飯 ties 蘋果 exactly
    params["vocabulary"][0]["vector"] = [1.0, 0.3]
    assert "look tied" in claims(example(), Params(params))[0]


def test_check_warns_when_another_word_becomes_more_likely(tmp_path):
    project = copy_project(tmp_path)
    script = project / "script.yaml"
    edit(script, "{word: 飯, vector: [0.8, 0.0]}", "{word: 飯, vector: [1.2, 0.0]}")
    warnings = [str(w) for w in load_lecture(script).warnings]
    assert any("slide 'attention-to-next-word'" in w and "飯" in w and "more likely than 蘋果" in w
               for w in warnings), warnings
    edit(script, "expect: 蘋果", "expect: 麵包")
    from explainer.script.load import ScriptInvalid

    with pytest.raises(ScriptInvalid) as raised:
        load_lecture(script)
    assert any("params.expect 麵包 is not in params.vocabulary" in str(p) for p in raised.value.problems)


def test_scene_draws_the_numbers_it_says_and_ends_on_the_chosen_word(tmp_path):
    params = lecture().slide("attention-to-next-word").params
    scene = render_last_frame("attention-to-next-word", tmp_path)
    assert [round(w.get_value(), 3) for w in scene.part("weight_labels")] == [0.050, 0.075, 0.875]
    assert list(scene.part("delta_block").vector) == near([1.6471, -0.3588])   # shown 1.65, -0.36
    assert list(scene.part("x_block").vector) == near([1.3, 0.2])
    assert list(scene.part("h_vector").vector) == near([2.9471, -0.1588])      # shown 2.95, -0.16
    assert [m.get_tex_string() for m in scene.part("dot_products")] == [
        r"2.95 \times 1.0 + (-0.16) \times 0.3 = 2.90",        # 2.95 - 0.048 = 2.902
        r"2.95 \times 0.8 + (-0.16) \times 0.0 = 2.36",        # 2.36 + 0
        r"2.95 \times 0.6 + (-0.16) \times (-0.2) = 1.80",     # 1.77 + 0.032 = 1.802
        r"2.95 \times (-0.2) + (-0.16) \times 1.0 = -0.75",    # -0.59 - 0.16
        r"2.95 \times (-0.3) + (-0.16) \times 0.8 = -1.01",    # -0.885 - 0.128 = -1.013
    ]
    assert list(scene.part("logit_chart").values) == near([2.8995, 2.3577, 1.8000, -0.7483, -1.0112])
    assert [f"{v:.2f}" for v in scene.part("logit_chart").shown_values] == ["2.90", "2.36", "1.80", "-0.75", "-1.01"]
    assert list(scene.part("prob_chart").shown_values) == [0.51, 0.30, 0.17, 0.01, 0.01]
    assert sum(scene.part("prob_chart").shown_values) == near(1.0, 1e-9)
    assert scene.part("note").original_text == params.labels.vocabulary_note
    assert scene.part("chapter_two").original_text == "這就是第二章的 Logits 與 Softmax"
    assert scene.part("chosen").label.original_text == "蘋果"


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("attention-to-next-word", tmp_path)
