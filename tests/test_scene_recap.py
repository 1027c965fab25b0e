"""Slide 'recap': six pictures with hand-checked numbers, one line each, revealed one at a time."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.maths import rounded_shares
from explainer.script.load import declared_steps
from explainer.script.model import plain
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.recap import PANELS, recap_numbers

SLIDE = "recap"


def test_rounded_shares_add_up_to_the_rounded_total():
    assert rounded_shares([1 / 3, 1 / 3, 1 / 3], 2).tolist() == [0.34, 0.33, 0.33]
    # softmax([0.2, 1.6, 0.9]) = 0.1415, 0.5737, 0.2849: plain rounding gives 0.14 + 0.57 + 0.28 = 0.99
    assert rounded_shares([0.1415, 0.5737, 0.2849], 2).tolist() == [0.14, 0.57, 0.29]
    assert rounded_shares([0.447, 0.331, 0.222], 3).tolist() == [0.447, 0.331, 0.222]


def test_numbers_by_hand():
    slide = lecture().slide(SLIDE)
    n = recap_numbers(slide.params, slide.example)
    # The shared prompt (next_word:) at T = 1: e^2.0, e^1.0, e^0.1 = 7.389, 2.718, 1.105; sum 11.212
    assert n["probs_shown"].tolist() == [0.66, 0.24, 0.10]
    # Its low and high T, chapter 6's: T = 0.2: z / T = 10, 5, 0.5 → 1, e^-5, e^-9.5 (relative) → .9932 .0067 .0001
    assert list(slide.params.next_word.temperatures) == [0.2, 1.5]
    assert n["tempered"][0] == pytest.approx([0.9932, 0.0067, 0.0001], abs=1e-4)
    # T = 1.5: z / T = 1.333, .667, .067 → 3.794, 1.948, 1.069; sum 6.811 → .557 .286 .157
    assert n["tempered"][1] == pytest.approx([0.557, 0.286, 0.157], abs=1e-3)
    # The running example's 蘋果 in 我喜歡吃蘋果 (worked by hand in test_example / test_scene_qkv_flow):
    # scores/√2 of -0.72, 0.045, 2.22, 1.71 → weights 0.06 0.11 0.49 0.34, Δx = (1.155, -0.039).
    assert n["tokens"][n["word_at"]] == "蘋果"
    assert n["weights_shown"].tolist() == [0.06, 0.11, 0.49, 0.34]
    assert n["delta"] == pytest.approx([1.155, -0.039], abs=1e-3)
    for head in n["heads"]:
        assert np.allclose(head.sum(axis=1), 1.0)


def test_scene_shows_every_picture_and_its_line(tmp_path):
    slide = lecture().slide(SLIDE)
    scene = render_last_frame(SLIDE, tmp_path)
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), slide)
    panels = scene.part("panels")
    assert list(panels) == list(PANELS)
    captions = {name: " ".join(line.original_text for line in panel[2]) for name, panel in panels.items()}
    assert captions["human"].replace(" ", "") == slide.params.captions.human.format(
        capacity=slide.params.memory.capacity).replace(" ", "")
    bars = panels["next_word"][1][1]
    assert [round(v, 2) for v in bars.values] == [0.66, 0.24, 0.10]
    # Three probabilities adding to 1: the screen says they are the whole vocabulary.
    assert scene.part("note").original_text == slide.params.next_word.vocabulary_note
    # The temperature picture's T labels are the shared low and high T, in T's colour.
    theme = scene.theme
    labels = [chart[0] for chart in panels["softmax"][1]]
    assert [label[2].tex_string for label in labels] == ["0.2", "1.5"]
    assert {label[0].get_color().to_hex().upper() for label in labels} == {theme.temperature.upper()}
    # Attention lines in the attention colour (not the query's, not gold).
    lines = panels["attention"][1][0]
    assert {line.get_stroke_color().to_hex().upper() for line in lines.lines} == {theme.attention.upper()}
    assert scene.layout_findings == []


def test_changed_logits_change_the_picture(tmp_path):
    params = plain(lecture().slide(SLIDE).params)
    params["next_word"]["logits"] = [1.0, 1.0, 1.0]
    scene = render_last_frame(SLIDE, tmp_path, params=params)
    bars = scene.part("panels")["next_word"][1][1]
    # Thirds shown so they add up to 1: 0.34 + 0.33 + 0.33
    assert [round(v, 2) for v in bars.values] == [0.34, 0.33, 0.33]
    assert scene.layout_findings == []


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("recap", tmp_path)
