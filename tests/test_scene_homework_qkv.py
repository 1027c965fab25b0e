"""Slide 'homework-qkv': the weekend plan's numbers, hand-checked, and what the scene ends on."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.maths import percent
from explainer.script.model import plain
from scene_texts import all_texts, texts_seen
from scenes_support import assert_renders_cleanly, lecture
from specs.homework_qkv import homework_numbers

SCORES, VALUES = [0.8, 0.5, 0.1], [0.95, 0.5, 0.0]


def numbers(temperatures=(1.0, 0.2)):
    return homework_numbers(SCORES, VALUES, list(temperatures))


def test_naive_sum_is_an_impossible_101_percent():
    result = numbers()
    # 0.8 × 0.95 + 0.5 × 0.5 + 0.1 × 0 = 0.76 + 0.25 + 0 = 1.01
    assert result["naive"] == pytest.approx(1.01)
    assert percent(result["naive"], 0) == "101%"


def test_softmax_at_t1_and_t02_match_hand_worked_values():
    result = numbers()
    # e^0.8, e^0.5, e^0.1 = 2.2255, 1.6487, 1.1052; sum 4.9794
    assert np.round(result["weights"][0], 3).tolist() == [0.447, 0.331, 0.222]
    assert round(result["outputs"][0], 3) == 0.590
    assert percent(result["outputs"][0]) == "59.0%"
    # z / 0.2 = 4, 2.5, 0.5: e^ = 54.598, 12.182, 1.6487; sum 68.43
    assert np.round(result["weights"][1], 3).tolist() == [0.798, 0.178, 0.024]
    assert round(result["outputs"][1], 3) == 0.847
    assert percent(result["outputs"][1]) == "84.7%"
    assert result["distraction"] == 2      # the phone: worth 0%
    assert percent(result["weights"][0][2], 0) == "22%"


@pytest.fixture(scope="module")
def scripted(tmp_path_factory):
    """The slide with its scripted params, rendered once for this file: (scene, texts after each play)."""
    with pytest.MonkeyPatch.context() as patch:
        return texts_seen("homework-qkv", tmp_path_factory.mktemp("seen"), patch)


def takeaway_snapshot(snapshots, params):
    """The texts on screen as the takeaway ends: the last snapshot still showing its bullets."""
    bullets = set(lecture().slide("homework-qkv").bullets)
    ends = [s for s in snapshots if bullets <= set(s)]
    assert ends, "the takeaway's bullets never appear"
    return set(ends[-1])


def test_scene_shows_the_naive_sum_the_phone_share_and_the_focused_weights(scripted):
    params = lecture().slide("homework-qkv").params
    scene, snapshots = scripted
    seen = all_texts(snapshots)
    assert any("101\\%" in text for text in seen)
    assert params.labels.distraction.format(key=params.options[2].key, share="22%") in seen   # the phone's share
    assert {"0.447", "0.331", "0.222", "59.0"} <= seen          # T = 1 moment
    # The takeaway shows the weights at T = 0.2 beside the formula with ÷T, and the analogy was said on
    # screen while T went down (the sampling temperature itself sits between logits and softmax).
    assert {"0.798", "0.178", "0.024", "84.7"} <= takeaway_snapshot(snapshots, params)
    assert any(params.labels.analogy.startswith(text) for text in seen)
    assert params.labels.focus in seen
    steps = [name for name, *_ in scene.step_marks]
    assert steps[steps.index("takeaway") + 1:] == [f"assignment-{i + 1}" for i in range(len(params.assignment.items))]


def test_scene_ends_on_the_assignment_the_student_hands_in(scripted):
    params = lecture().slide("homework-qkv").params
    scene, snapshots = scripted
    last = set(snapshots[-1])
    assert params.assignment.heading in last
    # Every numbered line is on screen at the end, with the temperatures written in from params.
    written = [row[1].source for row in scene.part("assignment")]
    assert written == [text.format(t0="1", t1="0.2") for text in params.assignment.items]
    assert any("T = 1" in text and "T = 0.2" in text for text in written)
    assert {line.original_text for row in scene.part("assignment") for line in row[1]} <= last
    # The blank worksheet: the query hint, the conclusion line, and its columns at T = 1 and T = 0.2.
    assert {params.assignment.query, params.assignment.conclusion, params.assignment.naive} <= last
    assert {"T = 1", "T = 0.2"} <= last
    # The example's numbers are gone: the student fills in their own.
    assert "84.7" not in last and "0.798" not in last


def test_changed_scores_change_the_focused_weights(tmp_path, monkeypatch):
    params = plain(lecture().slide("homework-qkv").params)
    params["options"][2]["score"] = 0.7        # the phone now tempts more
    _, snapshots = texts_seen("homework-qkv", tmp_path, monkeypatch, params=params)
    # softmax([0.8, 0.5, 0.7] / 0.2) = softmax([4, 2.5, 3.5]): e^ = 54.598, 12.182, 33.115; sum 99.895
    # → 0.5466, 0.1220, 0.3315 (0.331 to three places); output 0.5466 × 0.95 + 0.1220 × 0.5 = 0.580
    changed = homework_numbers([0.8, 0.5, 0.7], VALUES, [1.0, 0.2])
    assert np.round(changed["weights"][1], 3).tolist() == [0.547, 0.122, 0.331]
    assert round(changed["outputs"][1], 3) == 0.580
    shown = [f"{w:.3f}" for w in changed["weights"][1]] + [f"{changed['outputs'][1] * 100:.1f}"]
    at_takeaway = takeaway_snapshot(snapshots, params)
    assert set(shown) <= at_takeaway
    assert "84.7" not in at_takeaway and "0.798" not in at_takeaway


def test_shown_weights_add_up_and_nothing_strikes_through_the_sum(tmp_path):
    from manim import Cross

    from scenes_support import render_last_frame

    scene = render_last_frame("homework-qkv", tmp_path)
    shown = [round(label.get_value(), 3) for label in scene.part("weight_labels")]
    assert sum(shown) == pytest.approx(1.0, abs=1e-9)
    assert not any(isinstance(m, Cross) for m in scene.mobjects)
    assert scene.layout_findings == []


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("homework-qkv", tmp_path)
