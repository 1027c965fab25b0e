"""Slide 'homework-qkv': the weekend plan's numbers, hand-checked, and what the scene ends on."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.maths import percent
from explainer.script.model import plain
from scene_texts import all_texts, texts_seen
from scenes_support import assert_renders_cleanly, lecture, scene_class

SCORES, VALUES = [0.8, 0.5, 0.1], [0.95, 0.5, 0.0]


def numbers(temperatures=(1.0, 0.2)):
    module = __import__(scene_class("homework-qkv").__module__)
    return module.homework_numbers(SCORES, VALUES, list(temperatures))


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


def test_scene_shows_the_naive_sum_the_phone_share_and_ends_on_the_focused_weights(tmp_path, monkeypatch):
    params = lecture().slide("homework-qkv").params
    scene, snapshots = texts_seen("homework-qkv", tmp_path, monkeypatch)
    seen = all_texts(snapshots)
    assert any("101\\%" in text for text in seen)
    assert params.labels.distraction.format(key=params.options[2].key, share="22%") in seen   # the phone's share
    assert {"0.447", "0.331", "0.222", "59.0"} <= seen          # T = 1 moment
    assert {"0.798", "0.178", "0.024", "84.7"} <= set(snapshots[-1])   # ends at T = 0.2
    assert [name for name, *_ in scene.step_marks][-1] == "takeaway"


def test_changed_scores_change_what_the_scene_ends_on(tmp_path, monkeypatch):
    params = plain(lecture().slide("homework-qkv").params)
    params["options"][2]["score"] = 0.7        # the phone now tempts more
    _, snapshots = texts_seen("homework-qkv", tmp_path, monkeypatch, params=params)
    changed = __import__(scene_class("homework-qkv").__module__).homework_numbers(
        [0.8, 0.5, 0.7], VALUES, [1.0, 0.2])
    shown = [f"{w:.3f}" for w in changed["weights"][1]] + [f"{changed['outputs'][1] * 100:.1f}"]
    assert set(shown) <= set(snapshots[-1])
    assert "84.7" not in snapshots[-1] and "0.798" not in snapshots[-1]


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
