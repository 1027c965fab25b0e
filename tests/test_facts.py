"""Narration facts (each slide spec's `facts`) against hand-worked values, from copies of the
slides' params in script.yaml.

The params are literal copies (not loaded from script.yaml), so a lecturer's edit of a number
changes what is said without breaking these tests; the worked numbers are in the comments.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from explainer.maths import residual_gradient_norms, residual_norms
from explainer.script.model import Params

ROOT = Path(__file__).resolve().parents[1]


def facts_for(scene: str, params: Params) -> dict:
    """The facts the spec of scene class `scene` (scenes/specs/<its module>.py) computes."""
    module = re.sub(r"(?<!^)(?=[A-Z])", "_", scene).lower()
    spec = importlib.import_module(f"specs.{module}").SPEC
    return spec.facts(params) if spec.facts is not None else {}


def near(value: object) -> object:
    return pytest.approx(value, abs=1e-3)


# A copy of script.yaml's shared `next_word:` (chapters 2 and 6 and the recap), worked by hand:
# T = 1: e^2, e^1, e^0.1 = 7.389, 2.718, 1.105; sum 11.212 → .659 .242 .099, shown 0.66 0.24 0.10.
# T = 0.2: z / T = 10, 5, 0.5 → e^(z/T − 10) = 1, e^-5 = .00674, e^-9.5 = .00007; sum 1.00681 →
#   .9932 .0067 .0001: floors 99, 0, 0 leave one hundredth, to the largest remainder (.67) → 0.99 0.01 0.00.
# T = 1.5: z / T = 1.333, .667, .0667 → e^ = 3.794, 1.948, 1.069; sum 6.811 → .557 .286 .157: floors
#   55, 28, 15 leave two hundredths, to the largest remainders (.70 of 55.70 and of 15.70) → 0.56 0.28 0.16.
NEXT_WORD = {"prompt": "只是近黃昏，我", "words": ["想", "看", "們"], "logits": [2.0, 1.0, 0.1],
             "vocabulary_note": "示意：假設詞彙表只有這三個詞", "temperatures": [0.2, 1.5]}
AT_1, AT_LOW, AT_HIGH = [0.66, 0.24, 0.10], [0.99, 0.01, 0.0], [0.56, 0.28, 0.16]


def test_probability_chain() -> None:
    p = Params({"prompt": "夕陽無限好，只是近黃昏，我", "first_pick": "想", "note": "示意", "steps": [
        {"words": ["起", "要", "到", "念"], "logits": [2.0, 1.4, 0.7, 0.5], "pick": "起"},
        {"words": ["了", "你", "家", "來"], "logits": [1.8, 1.2, 1.0, 0.3], "pick": "了"},
        {"words": ["故鄉", "童年", "媽媽", "過去"], "logits": [1.6, 1.3, 1.1, 0.6], "pick": "故鄉"},
        {"words": ["a", "b", "c", "d"], "logits": [2.2, 1.4, 0.9, 0.6], "pick": "a"},
    ], "next_word": NEXT_WORD})
    facts = facts_for("ProbabilityChain", p)
    # Said as the bars print them: two decimals adding to 1.00. The first step is the shared prompt's.
    assert facts["probs_0"] == AT_1
    assert facts["probs_1"] == [0.49, 0.27, 0.13, 0.11]   # 7.389 4.055 2.014 1.649 / 15.107
    assert facts["probs_2"] == [0.45, 0.25, 0.20, 0.10]   # 6.050 3.320 2.718 1.350 / 13.438
    assert facts["probs_3"] == [0.37, 0.27, 0.22, 0.14]   # 4.953 3.669 3.004 1.822 / 13.449
    # 9.025 4.055 2.460 1.822 / 17.362 = .5198 .2336 .1417 .1049: rounded each to 2 places they
    # add to 0.99; the unit left over goes to the largest remainder (.1049 → 0.11).
    assert facts["probs_4"] == [0.52, 0.23, 0.14, 0.11]


def test_logits_softmax() -> None:
    p = Params({"next_word": NEXT_WORD})
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
    facts = facts_for("TemperatureFormula", Params({"labels": {"reference": "T = 1"}, "next_word": NEXT_WORD}))
    # Dividing by the low T stretches the gaps, by the high T shrinks them (worked at NEXT_WORD).
    assert facts["scaled_low"] == near([10.0, 5.0, 0.5])
    assert facts["scaled_high"] == near([1.333, 0.667, 0.067])
    # Said as the bars print them: T = 1 is the reference, then the low and the high T.
    assert (facts["probs_1"], facts["probs_low"], facts["probs_high"]) == (AT_1, AT_LOW, AT_HIGH)


def test_temperature_table_follows_the_sweep_plan() -> None:
    facts = facts_for("TemperatureTable", Params({"next_word": NEXT_WORD}))
    # T = 1, the shared low T, the greedy dip to 0 right after it, then the shared high T.
    assert facts["temps"] == [1.0, 0.2, 0.0, 1.5]
    # Said as the bars print them (worked at NEXT_WORD): the same 0.66 as chapter 2 at T = 1.
    assert facts["probs_0"] == AT_1
    assert facts["probs_1"] == AT_LOW
    assert facts["probs_2"] == [1.0, 0.0, 0.0]            # T = 0: greedy, one-hot on 想
    assert facts["probs_3"] == AT_HIGH


def test_temperature_table_counts_the_seeded_draws() -> None:
    facts = facts_for("TemperatureTable", Params({"next_word": NEXT_WORD, "seed": 0, "draws": 10}))
    # default_rng(0).random(10) = .6370 .2698 .0410 .0165 .8133 .9128 .6066 .7295 .5436 .9351,
    # read against the cumulative probabilities (T = 1: .659 .901; T = 1.5: .557 .843; T = 0.2: .9932)
    assert "".join(facts["draws_0"]) == "想想想想看們想看想們"
    assert (facts["top_count_0"], facts["counts_0"], facts["distinct_0"]) == (6, [6, 2, 2], 3)
    assert (facts["top_count_1"], facts["distinct_1"]) == (10, 1)    # T = 0.2: every die under .9932
    assert (facts["top_count_2"], facts["distinct_2"]) == (10, 1)    # T = 0: greedy
    assert "".join(facts["draws_3"]) == "看想想想看們看看想們"     # .637 .607 .730 .813 now pick 看
    assert (facts["top_count_3"], facts["counts_3"], facts["distinct_3"]) == (4, [4, 4, 2], 3)


def test_attention_question() -> None:
    p = Params({"machine": {"name": "Transformer"}, "person": {"scores": [1.8, 1.1, 0.3]}, "example": EXAMPLE})
    facts = facts_for("AttentionQuestion", p)
    # The machine side is the running example's 蘋果 in 我喜歡吃蘋果 (worked above): .06 .11 .49 .34,
    # the same row as qkv-flow, scaled-dot-product and the recap.
    assert (facts["machine_sentence"], facts["machine_focus"]) == ("我喜歡吃蘋果", "蘋果")
    assert facts["machine_weights"] == [0.06, 0.11, 0.49, 0.34]
    assert (facts["machine_top"], facts["machine_top_weight"], facts["machine_self_weight"]) == ("吃", 0.49, 0.34)
    # 6.050, 3.004, 1.350 / 10.404 = .5815 .2888 .1297: shown and said 0.58 0.29 0.13
    assert facts["person_weights"] == [0.58, 0.29, 0.13]


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
    p = Params({"next_word": NEXT_WORD, "example": EXAMPLE})
    facts = facts_for("Recap", p)
    assert facts["next_word_probs"] == AT_1     # worked at NEXT_WORD
    # The running example's 蘋果 (worked above): .06 .11 .49 .34, so 吃 with 0.49
    assert (facts["attention_top"], facts["attention_top_weight"]) == ("吃", 0.49)


def test_scenes_without_facts_get_none() -> None:
    assert facts_for("MagicFourGame", Params({"count": 7})) == {}


def test_cached_facts_equal_computed_ones_for_every_slide_and_follow_param_edits(tmp_path) -> None:
    from explainer.script.factcache import FactCache
    from explainer.script.load import load_lecture
    from explainer.script.scan import find_scene_classes
    from explainer.script.specfiles import load_spec

    lecture = load_lecture(ROOT / "script.yaml")
    classes = find_scene_classes(lecture.scenes_dir)
    spoken = [(classes[s.scene].module, load_spec(classes[s.scene].module).facts,
               s.params if s.example is None else Params({**s.params.as_dict(), "example": s.example}))
              for s in lecture.slides]
    spoken = [(module, facts, params) for module, facts, params in spoken if facts is not None]
    assert len(spoken) >= 14
    first = FactCache(tmp_path / "facts.json")
    computed = [first.facts_for(*slide) for slide in spoken]
    first.save()
    again = FactCache(tmp_path / "facts.json")   # a later run: every entry is a hit
    for (module, facts, params), made in zip(spoken, computed):
        # JSON keeps lists, str keys and floats exactly, so a hit gives templates what facts give.
        assert again.facts_for(module, facts, params) == made == facts(params), module
    assert not again.store.changed
    module, facts, chain = next(slide for slide in spoken if slide[0].stem == "probability_chain")
    edited = Params({**chain.as_dict(), "steps": [{**chain.steps[0].as_dict(), "logits": [5, 0, 0, 0]},
                                                   *chain.steps[1:]]})
    assert again.facts_for(module, facts, edited) == facts(edited) != again.facts_for(module, facts, chain)


# Where each slide on the shared prompt says its T = 1 probabilities (the fact's name, and the item of it).
T1_FACT = {"probability-chain": "probs_0", "logits-softmax": "probs", "temperature-formula": "probs_1",
           "temperature-table": "probs_0", "recap": "next_word_probs"}


def test_every_slide_on_the_shared_prompt_shows_the_same_probabilities() -> None:
    from explainer.script.load import load_lecture
    from explainer.script.scan import find_scene_classes
    from explainer.script.specfiles import load_spec

    lecture = load_lecture(ROOT / "script.yaml")
    classes = find_scene_classes(lecture.scenes_dir)
    shown = {}
    for slide_id, name in T1_FACT.items():
        slide = lecture.slide(slide_id)
        spec = load_spec(classes[slide.scene].module)
        assert spec.uses_next_word, f"{slide_id} must draw the shared `next_word:`"
        params = slide.params if slide.example is None else Params({**slide.params.as_dict(), "example": slide.example})
        shown[slide_id] = spec.facts(params)[name]
    # One prompt, one set of logits: every slide says (and draws) what chapter 2 computed.
    expected = facts_for("LogitsSoftmax", lecture.slide("logits-softmax").params)["probs"]
    assert shown == dict.fromkeys(T1_FACT, expected), shown
    # temperature-table's first stop is T = 1, and its low and high T are the recap's and the formula's.
    table = facts_for("TemperatureTable", lecture.slide("temperature-table").params)
    assert table["temps"][0] == 1.0
    assert [table["temps"][1], table["temps"][-1]] == list(lecture.slide("recap").params.next_word.temperatures)
