"""temperature-formula: logits → ÷T → softmax at T = 1, the low T and the high T (the shared prompt's)."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.maths import shown_probabilities
from explainer.script.load import declared_steps
from explainer.script.model import Params, plain
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.temperature_formula import SPEC, demonstrated, pipeline_values, scaled_top

NEXT_WORD = {"prompt": "只是近黃昏，我", "words": ["想", "看", "們"], "logits": [2.0, 1.0, 0.1],
             "vocabulary_note": "示意：假設詞彙表只有這三個詞", "temperatures": [0.2, 1.5]}


def test_pipeline_values_by_hand():
    # T = 1: e^2, e^1, e^0.1 = 7.389, 2.718, 1.105; sum 11.212 → .659 .242 .099
    assert list(pipeline_values([2.0, 1.0, 0.1], 1.0)["probs"]) == pytest.approx([0.659, 0.242, 0.099], abs=5e-4)
    # T = 0.2: z / T = 10, 5, 0.5 (the gaps five times wider) → e^(z/T − 10) = 1, .00674, .00007 → .9932 .0067 .0001
    values = pipeline_values([2.0, 1.0, 0.1], 0.2)
    assert list(values["scaled"]) == pytest.approx([10.0, 5.0, 0.5])
    assert list(values["probs"]) == pytest.approx([0.9932, 0.0067, 0.0001], abs=5e-5)
    # T = 1.5: z / T = 1.333, .667, .067 (gaps two thirds as wide) → 3.794 1.948 1.069 / 6.811 → .557 .286 .157
    values = pipeline_values([2.0, 1.0, 0.1], 1.5)
    assert list(values["scaled"]) == pytest.approx([1.3333, 0.6667, 0.0667], abs=5e-5)
    assert list(values["probs"]) == pytest.approx([0.557, 0.286, 0.157], abs=5e-4)
    # shown with two decimals that add to 1.00
    assert list(shown_probabilities([2.0, 1.0, 0.1], 0.2)) == [0.99, 0.01, 0.0]
    assert list(shown_probabilities([2.0, 1.0, 0.1], 1.5)) == [0.56, 0.28, 0.16]


def test_the_temperatures_are_the_shared_ones():
    p = Params({"labels": {"reference": "T = 1"}, "next_word": NEXT_WORD})
    assert demonstrated(p) == [1.0, 0.2, 1.5]
    assert scaled_top(p) == pytest.approx(10.0)      # 2.0 / 0.2: z and z / T share this scale


def shown(chart):
    return [round(label.get_value(), 2) for label in chart.value_labels]


@pytest.fixture(scope="module")
def default_scene(tmp_path_factory):
    return render_last_frame("temperature-formula", tmp_path_factory.mktemp("tf"))


def test_scene_divides_by_both_temperatures_against_the_t1_reference(default_scene):
    slide = lecture().slide("temperature-formula")
    shared = slide.params.next_word
    scene = default_scene
    charts = scene.part("charts")
    low, high = shared.temperatures
    assert shown(charts["logits"]) == list(shared.logits)
    # It ends at the high T: z / T and the probabilities as the narration says them.
    facts = SPEC.facts(slide.params)
    assert scene.part("t_value").get_value() == pytest.approx(high)
    assert shown(charts["scaled"]) == pytest.approx([round(v, 2) for v in facts["scaled_high"]])
    assert shown(charts["probs"]) == facts["probs_high"]
    # The probabilities printed at each T are the ones said: T = 1 (0.66 …, chapter 2's), low, high.
    printed = scene.part("printed")
    assert printed == {1.0: facts["probs_1"], float(low): facts["probs_low"], float(high): facts["probs_high"]}
    # The T = 1 probabilities stay drawn as thin bars: heights proportional to softmax at T = 1.
    ghost = np.array([bar.height for bar in scene.part("ghost")])
    reference = pipeline_values(list(shared.logits), 1.0)["probs"]
    assert ghost / ghost[0] == pytest.approx(reference / reference[0], abs=1e-3)
    assert scene.part("note").original_text == shared.vocabulary_note
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), slide)
    assert scene.layout_findings == []


def test_changed_temperatures_change_the_pipeline(tmp_path):
    params = plain(lecture().slide("temperature-formula").params)
    params["next_word"]["temperatures"] = [0.5, 2.0]
    scene = render_last_frame("temperature-formula", tmp_path, params=params)
    # T = 2: z / T = 1, 0.5, 0.05; 0.5017, 0.3043, 0.1940 printed so they add to 1.00 (plain rounding: 0.99)
    assert shown(scene.part("charts")["scaled"]) == [1.0, 0.5, 0.05]
    assert shown(scene.part("charts")["probs"]) == [0.50, 0.31, 0.19]
    # T = 0.5: 54.60 7.389 1.221 / 63.21 → 0.864 0.117 0.019
    assert scene.part("printed")[0.5] == [0.86, 0.12, 0.02]


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("temperature-formula", tmp_path)
