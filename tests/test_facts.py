"""Narration facts against hand-worked values, from copies of the slides' params in script.yaml.

The params are literal copies (not loaded from script.yaml), so a lecturer's edit of a number
changes what is said without breaking these tests; the worked numbers are in the comments.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from explainer.maths import residual_gradient_norms, residual_norms
from explainer.script.facts import FACTS, facts_for
from explainer.script.model import Params

ROOT = Path(__file__).resolve().parents[1]


def near(value: object) -> object:
    return pytest.approx(value, abs=1e-3)


def test_probability_chain() -> None:
    p = Params({"prompt": "夕陽無限好，只是近黃昏，我", "steps": [
        {"words": ["想", "們", "的", "看"], "logits": [2.2, 1.5, 0.9, 0.6], "pick": "想"},
        {"words": ["起", "要", "到", "念"], "logits": [2.0, 1.4, 0.7, 0.5], "pick": "起"},
        {"words": ["了", "你", "家", "來"], "logits": [1.8, 1.2, 1.0, 0.3], "pick": "了"},
        {"words": ["故鄉", "童年", "媽媽", "過去"], "logits": [1.6, 1.3, 1.1, 0.6], "pick": "故鄉"},
        {"words": ["a", "b", "c", "d"], "logits": [2.2, 1.4, 0.9, 0.6], "pick": "a"},
    ]})
    facts = facts_for("ProbabilityChain", p)
    # Said as the bars print them: two decimals adding to 1.00.
    # e^2.2, e^1.5, e^0.9, e^0.6 = 9.025, 4.482, 2.460, 1.822; sum 17.789 → .507 .252 .138 .102
    assert facts["probs_0"] == [0.51, 0.25, 0.14, 0.10]
    assert facts["probs_1"] == [0.49, 0.27, 0.13, 0.11]   # 7.389 4.055 2.014 1.649 / 15.107
    assert facts["probs_2"] == [0.45, 0.25, 0.20, 0.10]   # 6.050 3.320 2.718 1.350 / 13.438
    assert facts["probs_3"] == [0.37, 0.27, 0.22, 0.14]   # 4.953 3.669 3.004 1.822 / 13.449
    # 9.025 4.055 2.460 1.822 / 17.362 = .5198 .2336 .1417 .1049: rounded each to 2 places they
    # add to 0.99; the unit left over goes to the largest remainder (.1049 → 0.11).
    assert facts["probs_4"] == [0.52, 0.23, 0.14, 0.11]


def test_logits_softmax() -> None:
    p = Params({"words": ["想", "看", "們"], "logits": [2.0, 1.0, 0.1]})
    facts = facts_for("LogitsSoftmax", p)
    assert facts["exp"] == near([7.389, 2.718, 1.105])
    assert facts["exp_sum"] == near(11.212)
    # 7.389 / 11.212 … = 0.659, 0.242, 0.099: said as the bars print them (adding to 1.00)
    assert facts["probs"] == [0.66, 0.24, 0.10]


def test_qkv_analogy() -> None:
    p = Params({"results": [{"score": 2.0}, {"score": 0.8}, {"score": 0.1}]})
    # e^2, e^0.8, e^0.1 = 7.389, 2.226, 1.105; sum 10.720 → .689 .208 .103
    assert facts_for("QkvAnalogy", p)["weights"] == [0.69, 0.21, 0.10]


# A copy of script.yaml's shared `example:` (chapters 3–5), worked by hand below.
EXAMPLE = {
    "word": "蘋果", "sentences": [["我", "喜歡", "吃", "蘋果"], ["他", "買了", "一台", "蘋果", "手機"]],
    "embeddings": {"我": [-0.3, -0.2], "喜歡": [0.3, -0.3], "吃": [1.3, 0.2], "蘋果": [0.6, 0.6],
                   "他": [0.6, -0.5], "買了": [0.2, -0.2], "一台": [-0.1, 0.6], "手機": [0.2, 1.3]},
    "w_q": [[-1.5, -0.5], [-0.5, 1.0]], "w_k": [[-1.0, 1.0], [-1.5, -1.5]],
    "w_v": [[1.5, -0.5], [-0.5, 1.5]], "d_k": 2,
}
# 蘋果 in 我喜歡吃蘋果: q = (.6, .6) W_Q = (-1.2, .3); k = X W_K: 我 (.6, 0), 喜歡 (.15, .75),
# 吃 (-1.6, 1), 蘋果 (-1.5, -.3); q·k = -.72, .045, 2.22, 1.71; ÷√2 = -.509, .032, 1.570, 1.209;
# e^s = .601, 1.032, 4.806, 3.351 (sum 9.790) → .061, .105, .491, .342 (shown .06 .11 .49 .34).
# v = X W_V: 我 (-.35, -.15), 喜歡 (.6, -.6), 吃 (1.85, -.35), 蘋果 (.6, .6);
# Δx = Σ w v = (1.155, -.039); x + Δx = (1.755, .561).


def test_qkv_flow() -> None:
    facts = facts_for("QkvFlow", Params({"analogy": {}, "example": EXAMPLE}))
    assert facts["sentence"] == "我喜歡吃蘋果"
    assert facts["scores"] == near([-0.72, 0.045, 2.22, 1.71])
    assert (facts["top_token"], facts["low_token"]) == ("吃", "我")
    assert facts["exp_sum"] == near(9.790)
    assert facts["weights"] == [0.06, 0.11, 0.49, 0.34] and facts["top_weight"] == 0.49
    assert facts["output"] == near([1.155, -0.039])
    assert facts["updated"] == near([1.755, 0.561])


def test_qkv_projection() -> None:
    facts = facts_for("QkvProjection", Params({"views": [], "example": EXAMPLE}))
    assert (facts["d_model"], facts["d_k"]) == (2, 2)


def test_scaled_dot_product() -> None:
    facts = facts_for("ScaledDotProduct", Params({"table": [], "example": EXAMPLE}))
    assert facts["d_k"] == 2 and facts["sqrt_d_k"] == pytest.approx(1.41421, abs=1e-5)
    assert facts["weights_3"] == [0.06, 0.11, 0.49, 0.34]   # 蘋果's row, as above
    assert (facts["word_top_token"], facts["word_top_weight"], facts["word_self_weight"]) == ("吃", 0.49, 0.34)
    assert facts["word_output"] == near([1.155, -0.039])
    # 我: q = (-.3, -.2) W_Q = (.55, -.05); q·k = .33, .045, -.93, -.81 → ÷√2, e^s: 1.263 1.032 .518 .564
    assert facts["weights_0"] == [0.37, 0.31, 0.15, 0.17]


def test_apple_in_context() -> None:
    facts = facts_for("AppleInContext", Params({"axes": ["水果", "科技品牌"], "outputs": [], "cues": ["吃", "手機"],
                                                "example": EXAMPLE}))
    assert facts["cue_weight_0"] == 0.49 and facts["output_0"] == near([1.755, 0.561])
    # 他買了一台蘋果手機: k = 他 (.15, 1.35), 買了 (.1, .5), 一台 (-.8, -1), 蘋果 (-1.5, -.3),
    # 手機 (-2.15, -1.75); q·k = .225, .03, .66, 1.71, 2.055 → e^(s/√2) 1.172 1.021 1.595 3.351
    # 4.276 (sum 11.415) → .103 .089 .140 .294 .375
    assert facts["weights_1"] == [0.10, 0.09, 0.14, 0.29, 0.38]
    assert facts["sentence_1"] == "他買了一台蘋果手機" and facts["cue_weight_1"] == 0.38


def multi_head_params() -> Params:
    return Params({
        "labels": {"concat": "串接", "output": "蘋果的新表徵", "illustrative": "示意"},
        "example": {**EXAMPLE, "heads": [
            {"name": "頭 A", "focus": "文法結構", "pattern": "動詞 ↔ 受詞"},
            {"name": "頭 B", "focus": "語意關聯", "pattern": "誰 ↔ 喜歡什麼",
             "w_q": [[2, -6], [-6, -6]], "w_k": [[1, 0], [0, 1]], "w_v": [[1, 0.5], [0.5, 1]]},
            {"name": "頭 C", "focus": "邏輯順序", "pattern": "看前一個詞",
             "w_q": [[0, -5], [6, -3]], "w_k": [[1, 0], [0, 1]], "w_v": [[1, 0], [0, 1]]},
        ], "w_o": [[0.6, 0], [0, 0.6], [0.2, 0], [0, 0.2], [0.2, 0], [0, 0.2]]},
    })


def test_multi_head_focus_rows() -> None:
    facts = facts_for("MultiHead", multi_head_params())
    assert facts["heads"] == 3 and facts["concat_length"] == 6
    # Head A is the example's attention: 蘋果's row .06 .11 .49 .34 (as on scaled-dot-product).
    assert (facts["head_0_top"], facts["head_0_weight"]) == ("吃", 0.49)
    # Head B: q(蘋果) = (0.6, 0.6)·[[2, -6], [-6, -6]] = (-2.4, -7.2); k = x; q·k = 2.16, 1.44,
    # -4.56, -5.76 → ÷√2 → softmax .62 .37 .01 .00
    assert (facts["head_1_top"], facts["head_1_weight"]) == ("我", 0.62)
    # Head C: q(蘋果) = (3.6, -4.8); q·k = -0.12, 2.52, 3.72, -0.72 → ÷√2 → .04 .28 .65 .03
    assert (facts["head_2_top"], facts["head_2_weight"]) == ("吃", 0.65)
    # Output: 0.6·A + 0.2·B + 0.2·C = 0.6·(1.16, -0.04) + 0.2·(-0.18, -0.27) + 0.2·(0.93, 0.05)
    assert facts["output"] == near([0.843, -0.066])


def test_residual_matches_the_stack_the_scene_draws() -> None:
    p = Params({"layers": 12, "width": 16, "seed": 0, "weight_scale": 0.5})
    facts = facts_for("Residual", p)
    args = (12, 16, 0, 0.5)
    assert facts["plain_signal"] == residual_norms(*args, False)[-1]
    assert facts["residual_gradient"] == residual_gradient_norms(*args, True)[0]
    # Seeded random blocks (not hand-workable): without shortcuts the signal and the gradient
    # all but vanish over 12 blocks; with them both stay near 1.
    assert facts["plain_signal"] == pytest.approx(0.00014, abs=1e-5)
    assert facts["plain_gradient"] == pytest.approx(0.00022, abs=1e-5)
    assert facts["residual_signal"] == near(1.274)
    assert facts["residual_gradient"] == near(1.586)


def test_temperature_formula() -> None:
    p = Params({"words": ["想", "看", "們"], "logits": [2.0, 1.0, 0.1], "temperature": 0.5})
    facts = facts_for("TemperatureFormula", p)
    assert facts["scaled"] == near([4.0, 2.0, 0.2])
    # e^4, e^2, e^0.2 = 54.598, 7.389, 1.221; sum 63.209
    # 0.864, 0.117, 0.019 and at T = 1 0.659, 0.242, 0.099: said as the bars print them
    assert facts["probs"] == [0.86, 0.12, 0.02]
    assert facts["probs_at_1"] == [0.66, 0.24, 0.10]


def test_temperature_table_follows_the_sweep_plan() -> None:
    p = Params({"words": ["想", "看", "們", "走"], "logits": [2.0, 1.0, 0.5, 0.1],
                "sweep": [1.0, 0.2, 1.5]})
    facts = facts_for("TemperatureTable", p)
    # The start, then the sweep with the greedy dip to 0 right after its lowest value.
    assert facts["temps"] == [1.0, 0.2, 0.0, 1.5]
    # Said as the bars print them: two decimals adding to 1.00 (largest remainders get the
    # hundredths plain flooring leaves over).
    # e^2, e^1, e^.5, e^.1 = 7.389, 2.718, 1.649, 1.105; sum 12.861 → .5745 .2114 .1282 .0859
    assert facts["probs_0"] == [0.57, 0.21, 0.13, 0.09]
    # z / 0.2 = 10, 5, 2.5, .5 → 1, e^-5, e^-7.5, e^-9.5 relative to the top: .9927 .0067 .0006 .0001
    assert facts["probs_1"] == [0.99, 0.01, 0.0, 0.0]
    assert facts["probs_2"] == [1.0, 0.0, 0.0, 0.0]
    # z / 1.5 = 1.333, .667, .333, .067 → 3.794, 1.948, 1.396, 1.069 (sum 8.206) → .4623 .2374 .1701 .1303
    assert facts["probs_3"] == [0.46, 0.24, 0.17, 0.13]


def test_temperature_table_counts_the_seeded_draws() -> None:
    p = Params({"words": ["想", "看", "們", "走"], "logits": [2.0, 1.0, 0.5, 0.1],
                "sweep": [1.0, 0.2, 1.5], "seed": 39, "draws": 10})
    facts = facts_for("TemperatureTable", p)
    # default_rng(39).random(10) = .5017 .5393 .1359 .3064 .5792 .7913 .1511 .2292 .9404 .6662,
    # read against the cumulative probabilities (T = 1: .5745 .7859 .9141; T = 1.5: .4623 .6997 .8697)
    assert "".join(facts["draws_0"]) == "想想想想看們想想走看"
    assert (facts["top_count_0"], facts["distinct_0"]) == (6, 4)
    assert (facts["top_count_1"], facts["distinct_1"]) == (10, 1)    # T = 0.2: 想 reaches .9927
    assert (facts["top_count_2"], facts["distinct_2"]) == (10, 1)    # T = 0: greedy
    assert "".join(facts["draws_3"]) == "看看想想看們想想走看"
    assert (facts["top_count_3"], facts["distinct_3"]) == (4, 4)


def test_attention_question() -> None:
    p = Params({"machine": {"scores": [0.2, 0.6, 2.0]}, "person": {"scores": [1.8, 1.1, 0.3]}})
    facts = facts_for("AttentionQuestion", p)
    assert facts["machine_weights"] == near([0.117, 0.175, 0.708])   # 1.221, 1.822, 7.389 / 10.433
    assert facts["person_weights"] == near([0.582, 0.289, 0.130])    # 6.050, 3.004, 1.350 / 10.404


def test_homework() -> None:
    p = Params({"options": [{"key": "深度工作", "score": 0.8, "value": 0.95},
                            {"key": "聽音樂", "score": 0.5, "value": 0.5},
                            {"key": "滑手機／聊天", "score": 0.1, "value": 0.0}],
                "temperatures": [1.0, 0.2]})
    facts = facts_for("HomeworkQkv", p)
    assert facts["naive_sum"] == near(1.01)            # .76 + .25 + 0
    assert facts["weights_0"] == near([0.447, 0.331, 0.222])
    assert facts["output_0"] == near(0.590)            # .447 × .95 + .331 × .5
    assert facts["weights_1"] == near([0.798, 0.178, 0.024])
    assert facts["output_1"] == near(0.847)


def test_recap() -> None:
    p = Params({"next_word": {"prompt": "只是近黃昏，我", "words": ["想", "看", "們"], "logits": [2.0, 1.0, 0.1]},
                "example": EXAMPLE})
    facts = facts_for("Recap", p)
    assert facts["next_word_probs"] == near([0.66, 0.24, 0.10])     # 7.389 / 11.212 …
    # The running example's 蘋果 (worked above): .06 .11 .49 .34, so 吃 with 0.49
    assert (facts["attention_top"], facts["attention_top_weight"]) == ("吃", 0.49)


def test_scenes_without_facts_get_none() -> None:
    assert facts_for("MagicFourGame", Params({"count": 7})) == {}


def test_facts_are_keyed_by_real_scene_classes() -> None:
    classes = set()
    for path in (ROOT / "scenes").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        classes.update(re.findall(r"^class (\w+)\(", source, re.MULTILINE))
    assert set(FACTS) <= classes


def test_facts_do_not_import_manim() -> None:
    code = "import sys, explainer.script.facts; sys.exit('manim' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT).returncode == 0


def test_cached_facts_equal_computed_ones_for_every_slide_and_follow_param_edits(tmp_path) -> None:
    from explainer.script.factcache import FactCache
    from explainer.script.load import load_lecture

    lecture = load_lecture(ROOT / "script.yaml")
    spoken = [(s.scene, s.params if s.example is None else Params({**s.params.as_dict(), "example": s.example}))
              for s in lecture.slides]
    first = FactCache(tmp_path / "facts.json")
    computed = [first.facts_for(scene, params) for scene, params in spoken]
    first.save()
    again = FactCache(tmp_path / "facts.json")   # a later run: every entry is a hit
    for (scene, params), made in zip(spoken, computed):
        # JSON keeps lists, str keys and floats exactly, so a hit gives templates what facts_for gives.
        assert again.facts_for(scene, params) == made == facts_for(scene, params), scene
    assert not again.store.changed
    chain = next(params for scene, params in spoken if scene == "ProbabilityChain")
    edited = Params({**chain.as_dict(), "steps": [{**chain.steps[0].as_dict(), "logits": [5, 0, 0, 0]},
                                                   *chain.steps[1:]]})
    assert again.facts_for("ProbabilityChain", edited) == facts_for("ProbabilityChain", edited) \
        != again.facts_for("ProbabilityChain", chain)
