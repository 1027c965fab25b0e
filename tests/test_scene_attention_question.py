"""Slide 'attention-question': both sides' weights, hand-checked, converging on the question."""

from __future__ import annotations

import numpy as np

from explainer.script.load import declared_steps
from explainer.script.model import plain
from scene_texts import texts_seen
from scenes_support import assert_renders_cleanly, lecture
from specs.attention_question import machine_side, side_weights


def test_weights_are_softmax_of_the_scores():
    # e^1.8, e^1.1, e^0.3 = 6.0496, 3.0042, 1.3499; sum 10.4037
    assert np.round(side_weights([1.8, 1.1, 0.3]), 3).tolist() == [0.581, 0.289, 0.130]


def test_the_machine_side_is_the_running_example():
    # 蘋果 in 我喜歡吃蘋果: q·k / √2 = -.509, .032, 1.570, 1.209 → e^ .601 1.032 4.806 3.351 (9.790)
    # → .061 .105 .491 .342, shown .06 .11 .49 .34: chapters 3–5's row, 吃 with 0.49
    machine = machine_side(lecture().slide("attention-question").example)
    assert (machine["focus"], machine["context"]) == ("蘋果", ["我", "喜歡", "吃", "蘋果"])
    assert machine["shown"] == [0.06, 0.11, 0.49, 0.34]
    assert np.round(machine["weights"], 3).tolist() == [0.061, 0.105, 0.491, 0.342]


def test_scene_shows_both_sides_and_ends_on_the_question(tmp_path, monkeypatch):
    params = lecture().slide("attention-question").params
    scene, snapshots = texts_seen("attention-question", tmp_path, monkeypatch)
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide("attention-question"))
    final = snapshots[-1]
    assert params.question in final
    # Each side's name, its focus (the query) and every context word it weighs (the keys).
    words = {params.machine.name, "蘋果", "我", "喜歡", "吃",
             params.person.name, params.person.focus, *params.person.context}
    assert words <= set(final)
    assert {"0.06", "0.11", "0.49", "0.34", "0.58", "0.29", "0.13"} <= set(final)
    assert "0.71" not in final
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
