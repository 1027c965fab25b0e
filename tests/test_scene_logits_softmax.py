"""logits-softmax: e^z, their sum, the probabilities summing to 1, as the scene shows them."""

from __future__ import annotations

import pytest

from explainer.script.model import plain
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.logits_softmax import softmax_stages, sum_terms


def test_softmax_stages_by_hand():
    # e^2, e^1, e^0.1 = 7.389, 2.718, 1.105; sum 11.212 → .659 .242 .099
    stages = softmax_stages([2.0, 1.0, 0.1])
    assert list(stages["exp"]) == pytest.approx([7.389, 2.718, 1.105], abs=5e-4)
    assert stages["sum"] == pytest.approx(11.2125, abs=5e-4)
    assert list(stages["probs"]) == pytest.approx([0.659, 0.242, 0.099], abs=5e-4)


def test_sum_terms_are_written_out():
    # 7.39 + 2.72 + 1.11 = 11.22 on paper, so the exact 11.2125 is shown with ≈.
    assert sum_terms([7.3891, 2.7183, 1.1052], 11.2125) == [
        "7.39", "+", "2.72", "+", "1.11", r"\approx", "11.21"]
    assert sum_terms([0.659, 0.242, 0.099], 1.0) == ["0.66", "+", "0.24", "+", "0.10", "=", "1.00"]


def shown(chart):
    return [round(label.get_value(), 2) for label in chart.value_labels]


def test_scene_ends_with_probabilities_summing_to_one(tmp_path):
    scene = render_last_frame("logits-softmax", tmp_path)
    charts = scene.part("charts")
    assert shown(charts["logits"]) == [2.0, 1.0, 0.1]
    assert shown(charts["exp"]) == [7.39, 2.72, 1.11]
    assert shown(charts["probs"]) == [0.66, 0.24, 0.10]
    assert scene.part("total")[-1].tex_string == "11.21"
    assert scene.part("check")[-1].tex_string == "1.00"
    assert [p.original_text for p in scene.part("goal").pieces if hasattr(p, "original_text")] == ["Logit", "轉換為機率"]
    # The words and logits are the shared prompt's, and the screen says they are the whole vocabulary.
    shared = lecture().slide("logits-softmax").params.next_word
    assert [w.original_text for w in charts["probs"].word_labels] == list(shared.words)
    assert scene.part("note").original_text == shared.vocabulary_note
    # e^z is on its way to P: the probability colour (faint), not the output colour; P in full.
    assert charts["exp"].bars[0].get_fill_color() == charts["probs"].bars[0].get_fill_color()
    assert charts["exp"].bars[0].get_fill_opacity() < charts["probs"].bars[0].get_fill_opacity()
    assert scene.layout_findings == []


def test_changed_logits_change_the_chain(tmp_path):
    params = plain(lecture().slide("logits-softmax").params)
    params["next_word"]["logits"] = [1.0, 1.0, 1.0]
    scene = render_last_frame("logits-softmax", tmp_path, params=params)
    # three thirds printed so they add to 1.00: the first takes the spare hundredth
    assert shown(scene.part("charts")["probs"]) == [0.34, 0.33, 0.33]
    assert scene.part("check")[-2].tex_string == "="
    assert scene.part("total")[-1].tex_string == "8.15"


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("logits-softmax", tmp_path)
