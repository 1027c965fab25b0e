"""Slide 'attention-question': both sides' weights, hand-checked, converging on the question."""

from __future__ import annotations

import numpy as np

from explainer.script.model import plain
from scene_texts import texts_seen
from scenes_support import assert_renders_cleanly, lecture, scene_class


def side_weights(scores):
    return __import__(scene_class("attention-question").__module__).side_weights(scores)


def test_weights_are_softmax_of_the_scores():
    # e^0.2, e^0.6, e^2.0 = 1.2214, 1.8221, 7.3891; sum 10.4326
    assert np.round(side_weights([0.2, 0.6, 2.0]), 3).tolist() == [0.117, 0.175, 0.708]
    # e^1.8, e^1.1, e^0.3 = 6.0496, 3.0042, 1.3499; sum 10.4037
    assert np.round(side_weights([1.8, 1.1, 0.3]), 3).tolist() == [0.581, 0.289, 0.130]


def test_scene_shows_both_sides_and_ends_on_the_question(tmp_path, monkeypatch):
    params = lecture().slide("attention-question").params
    scene, snapshots = texts_seen("attention-question", tmp_path, monkeypatch)
    assert [name for name, *_ in scene.step_marks] == ["chapter", "machine", "person", "question"]
    final = snapshots[-1]
    assert params.question in final
    # Each side's name, its focus (the query) and every context word it weighs (the keys).
    words = {text for side in (params.machine, params.person) for text in (side.name, side.focus, *side.context)}
    assert words <= set(final)
    assert {"0.12", "0.17", "0.71", "0.58", "0.29", "0.13"} <= set(final)
    bullets = "".join(lecture().slide("attention-question").bullets)
    assert any("".join(s).replace(" ", "").find(bullets[:10].replace(" ", "")) >= 0 for s in snapshots)


def test_changed_params_change_the_scene(tmp_path, monkeypatch):
    params = plain(lecture().slide("attention-question").params)
    params["question"] = "你的注意力，花在哪裡？"
    params["person"]["scores"] = [0.0, 0.0, 3.0]
    _, snapshots = texts_seen("attention-question", tmp_path, monkeypatch, params=params)
    final = snapshots[-1]
    assert "你的注意力，花在哪裡？" in final
    # e^3 / (1 + 1 + e^3) = 20.086 / 22.086 = 0.909
    assert "0.91" in final and "0.13" not in final


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("attention-question", tmp_path)
