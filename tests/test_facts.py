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
        {"words": ["想", "們", "的", "看"], "logits": [2.2, 1.4, 0.9, 0.6], "pick": "想"},
        {"words": ["起", "要", "到", "念"], "logits": [2.0, 1.5, 0.7, 0.5], "pick": "起"},
        {"words": ["了", "你", "家", "來"], "logits": [1.8, 1.2, 1.0, 0.3], "pick": "了"},
        {"words": ["故鄉", "童年", "媽媽", "過去"], "logits": [1.6, 1.3, 1.1, 0.6], "pick": "故鄉"},
    ]})
    facts = facts_for("ProbabilityChain", p)
    # e^2.2, e^1.4, e^0.9, e^0.6 = 9.025, 4.055, 2.460, 1.822; sum 17.362
    assert facts["probs_0"] == near([0.520, 0.234, 0.142, 0.105])
    assert facts["probs_1"] == near([0.476, 0.289, 0.130, 0.106])   # sum 15.533
    assert facts["probs_2"] == near([0.450, 0.247, 0.202, 0.100])   # sum 13.438
    assert facts["probs_3"] == near([0.368, 0.273, 0.223, 0.135])   # sum 13.449


def test_logits_softmax() -> None:
    p = Params({"words": ["想", "看", "們"], "logits": [2.0, 1.0, 0.1]})
    facts = facts_for("LogitsSoftmax", p)
    assert facts["exp"] == near([7.389, 2.718, 1.105])
    assert facts["exp_sum"] == near(11.212)
    assert facts["probs"] == near([0.659, 0.242, 0.099])   # 7.389 / 11.212 …


def test_qkv_flow() -> None:
    p = Params({"tokens": ["我", "喜歡", "吃", "蘋果"], "query_token": "蘋果", "query": [1.0, 1.5],
                "keys": [[0.2, 0.1], [0.6, 0.2], [1.2, 1.0], [0.5, 0.6]],
                "values": [[0.2, 0.8], [0.5, 0.5], [0.9, 0.1], [0.6, 0.6]]})
    facts = facts_for("QkvFlow", p)
    # q·k: 0.2 + 0.15, 0.6 + 0.3, 1.2 + 1.5, 0.5 + 0.9
    assert facts["scores"] == near([0.35, 0.90, 2.70, 1.40])
    # e^s = 1.419, 2.460, 14.880, 4.055; sum 22.814
    assert facts["weights"] == near([0.062, 0.108, 0.652, 0.178])
    # Σ w v: x = .0124 + .0539 + .5870 + .1067, y = .0498 + .0539 + .0652 + .1067
    assert facts["output"] == near([0.760, 0.276])


def test_scaled_dot_product() -> None:
    p = Params({"tokens": ["我", "吃", "蘋果"],
                "queries": [[1.0, 0.0, 1.0, 0.0], [0.0, 2.0, 0.0, 1.0], [1.0, 1.0, 1.0, 0.0]],
                "keys": [[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0]],
                "values": [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]})
    facts = facts_for("ScaledDotProduct", p)
    assert facts["d_k"] == 4 and facts["sqrt_d_k"] == 2
    # QKᵀ rows: [1, 1, 1], [1, 2, 2], [1, 2, 2]; ÷ 2 → [.5, .5, .5], [.5, 1, 1], [.5, 1, 1]
    assert facts["weights_0"] == near([1 / 3, 1 / 3, 1 / 3])
    # e^.5 = 1.649, e^1 = 2.718 (twice); sum 7.085
    assert facts["weights_2"] == near([0.233, 0.384, 0.384])
    # .233 [1, 0] + .384 [0, 1] + .384 [.5, .5]
    assert facts["output_2"] == near([0.424, 0.576])
    assert facts["output_0"] == near([0.5, 0.5])


def test_apple_in_context() -> None:
    p = Params({"word": "蘋果", "sentences": [
        {"tokens": ["我", "喜歡", "吃", "蘋果"],
         "vectors": [[0.1, 0.1], [0.3, 0.2], [1.6, 0.1], [0.9, 0.9]]},
        {"tokens": ["他", "買了", "一台", "蘋果", "手機"],
         "vectors": [[0.1, 0.1], [0.2, 0.5], [0.1, 0.6], [0.9, 0.9], [0.1, 1.7]]},
    ]})
    facts = facts_for("AppleInContext", p)
    # q = [.9, .9]: scores .18, .45, 1.53, 1.62 → e^s 1.197, 1.568, 4.618, 5.053 (sum 12.436)
    assert facts["weights_0"] == near([0.096, 0.126, 0.371, 0.406])
    assert facts["output_0"] == near([1.007, 0.438])      # towards 水果 (x)
    # scores .18, .63, .63, 1.62, 1.62 → sum of e^s 15.059
    assert facts["weights_1"] == near([0.080, 0.125, 0.125, 0.336, 0.336])
    assert facts["output_1"] == near([0.381, 1.018])      # towards 科技品牌 (y)


def multi_head_params() -> Params:
    zero = [0, 0]
    return Params({
        "tokens": ["小貓", "追著", "紅色", "的", "球"],
        "embeddings": [[1, 0, 0, 0, 1.0, 0.0, 1.0, 0.0], [0, 1, 0, 0, 0.6, 0.3, 0.7, 0.7],
                       [0, 0, 0, 1, 0.0, 0.6, 0.0, 1.0], [0, 0, 0, 1, 0.0, 0.0, -0.7, 0.7],
                       [0, 0, 1, 0, 0.0, 1.0, -1.0, 0.0]],
        "d_head": 2, "seed": 3, "focus_token": "球",
        "heads": [
            {"w_q": [[0, 2], [2, 0], [0, 2], [2, 0], zero, zero, zero, zero],
             "w_k": [[1, -1], [0, 2], [2, 0], zero, zero, zero, zero, zero]},
            {"w_q": [zero, zero, zero, zero, [2.5, 0], [0, 2.5], zero, zero],
             "w_k": [zero, zero, zero, zero, [2.5, 0], [0, 2.5], zero, zero]},
            {"w_q": [zero, zero, zero, zero, zero, zero, [2.1, -2.1], [2.1, 2.1]],
             "w_k": [zero, zero, zero, zero, zero, zero, [3, 0], [0, 3]]},
        ],
    })


def test_multi_head_focus_rows() -> None:
    facts = facts_for("MultiHead", multi_head_params())
    # Head A: q(球) = [0, 2]; k = [1, -1], [0, 2], 0, 0, [2, 0] → q·k/√2 = -1.414, 2.828, 0, 0, 0
    assert facts["focus_0"] == near([0.012, 0.839, 0.050, 0.050, 0.050])
    # Head B: q(球) = [0, 2.5]; q·k/√2 = 0, 1.326, 2.652, 0, 4.419
    assert facts["focus_1"] == near([0.010, 0.037, 0.138, 0.010, 0.806])
    # Head C: q(球) = [-2.1, 2.1]; q·k/√2 = -4.455, 0, 4.455, 6.237, 4.455
    assert facts["focus_2"] == near([0.000, 0.001, 0.126, 0.747, 0.126])


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
    assert facts["probs"] == near([0.864, 0.117, 0.019])
    assert facts["probs_at_1"] == near([0.659, 0.242, 0.099])


def test_temperature_table_follows_the_sweep_plan() -> None:
    p = Params({"words": ["想", "看", "們", "走"], "logits": [2.0, 1.0, 0.5, 0.1],
                "sweep": [1.0, 0.2, 1.5]})
    facts = facts_for("TemperatureTable", p)
    # The start, then the sweep with the greedy dip to 0 right after its lowest value.
    assert facts["temps"] == [1.0, 0.2, 0.0, 1.5]
    # e^2, e^1, e^.5, e^.1 = 7.389, 2.718, 1.649, 1.105; sum 12.861
    assert facts["probs_0"] == near([0.575, 0.211, 0.128, 0.086])
    # z / 0.2 = 10, 5, 2.5, .5 → 1, e^-5, e^-7.5, e^-9.5 relative to the top
    assert facts["probs_1"] == near([0.993, 0.007, 0.001, 0.000])
    assert facts["probs_2"] == [1.0, 0.0, 0.0, 0.0]
    # z / 1.5 = 1.333, .667, .333, .067 → 3.794, 1.948, 1.396, 1.069 (sum 8.206)
    assert facts["probs_3"] == near([0.462, 0.237, 0.170, 0.130])


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
