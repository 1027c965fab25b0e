"""probability-chain: candidates' probabilities per step, and the sentence growing with the picks."""

from __future__ import annotations

import pytest

from explainer.maths import shown_probabilities
from scenes_support import assert_renders_cleanly, lecture, render_last_frame, scene_class

module = __import__(scene_class("probability-chain").__module__)


def test_step_probabilities_by_hand():
    assert list(module.step_probabilities({"logits": [2.0, 1.0, 0.1]})) == pytest.approx(
        [0.659, 0.242, 0.099], abs=5e-4)


def test_shown_probabilities_add_to_exactly_one():
    # softmax([2.2, 1.4, 0.9, 0.6]) = .5198 .2336 .1417 .1049: plain rounding prints 0.99 in all;
    # the leftover hundredth goes to the largest remainder (.49 of 10.49).
    assert list(shown_probabilities([2.2, 1.4, 0.9, 0.6])) == [0.52, 0.23, 0.14, 0.11]
    # Three equal thirds: 33.33 each, the first gets the spare hundredth.
    assert list(shown_probabilities([1.0, 1.0, 1.0])) == [0.34, 0.33, 0.33]


def test_chain_text_appends_the_picks():
    steps = [{"pick": "想"}, {"pick": "起"}]
    assert module.chain_text("我", steps) == ("我想起", ["我", "想", "起"])


def visible_text(scene):
    """The sentence's characters that are drawn (picks not yet made are invisible)."""
    sentence = scene.part("sentence")
    glyphs = [g for g in sentence.submobjects if g.get_fill_opacity() > 0.5]
    text = sentence.original_text.replace(" ", "")
    return "".join(ch for ch, g in zip(text, sentence.submobjects) if g in glyphs)


def test_sentence_ends_with_every_pick(tmp_path):
    params = lecture().slide("probability-chain").params
    scene = render_last_frame("probability-chain", tmp_path)
    picks = "".join(step.pick for step in params.steps)
    assert visible_text(scene) == params.prompt + picks
    last = params.steps[-1]
    assert [w.original_text for w in scene.part("chart").word_labels] == list(last.words)
    assert [round(label.get_value(), 2) for label in scene.part("chart").value_labels] == [0.37, 0.27, 0.22, 0.14]
    # Every distribution the bars print adds to 1.00 (the next slide says so).
    all_printed = scene.part("printed")
    assert len(all_printed) == len(params.steps)
    for printed in all_printed:
        assert sum(round(float(v) * 100) for v in printed) == 100, printed
    assert all_printed[0] == ["0.51", "0.25", "0.14", "0.10"]   # e^2.2 … / 17.789
    assert [name for name, *_ in scene.step_marks] == ["prompt", "step-1", "step-2", "step-3", "step-4", "chain"]
    assert scene.layout_findings == []


def test_changed_steps_change_the_sentence(tmp_path):
    params = {"prompt": "今天天氣", "steps": [{"words": ["很", "不"], "logits": [2.0, 1.0], "pick": "不"}]}
    scene = render_last_frame("probability-chain", tmp_path, params=params)
    assert visible_text(scene) == "今天天氣不"
    assert [round(label.get_value(), 2) for label in scene.part("chart").value_labels] == [0.73, 0.27]


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("probability-chain", tmp_path)
