"""temperature-formula: logits → ÷T → softmax, with the slide's numbers computed."""

from __future__ import annotations

import pytest

from explainer.script.model import plain
from scenes_support import assert_renders_cleanly, lecture, render_last_frame, scene_class

module = __import__(scene_class("temperature-formula").__module__)


def test_pipeline_values_by_hand():
    values = module.pipeline_values([2.0, 1.0, 0.1], 0.5)
    assert list(values["scaled"]) == pytest.approx([4.0, 2.0, 0.2])
    assert list(values["probs"]) == pytest.approx([0.864, 0.117, 0.019], abs=5e-4)
    values = module.pipeline_values([2.0, 1.0, 0.1], 2.0)
    assert list(values["probs"]) == pytest.approx([0.502, 0.304, 0.194], abs=5e-4)


def shown(chart):
    return [round(label.get_value(), 2) for label in chart.value_labels]


def test_scene_shows_each_stage(tmp_path):
    scene = render_last_frame("temperature-formula", tmp_path)
    charts = scene.part("charts")
    assert shown(charts["logits"]) == [2.0, 1.0, 0.1]
    assert shown(charts["scaled"]) == [4.0, 2.0, 0.2]
    assert shown(charts["probs"]) == [0.86, 0.12, 0.02]
    assert scene.part("divide_label").tex_string.replace(" ", "") == "T=0.5"
    assert [name for name, *_ in scene.step_marks][-4:] == ["logits", "divide", "softmax", "position"]
    assert scene.layout_findings == []


def test_changed_temperature_changes_the_pipeline(tmp_path):
    params = dict(plain(lecture().slide("temperature-formula").params), temperature=2.0)
    scene = render_last_frame("temperature-formula", tmp_path, params=params)
    assert shown(scene.part("charts")["scaled"]) == [1.0, 0.5, 0.05]
    # 0.5017, 0.3043, 0.1940 printed so they add to 1.00 (plain rounding gives 0.99)
    assert shown(scene.part("charts")["probs"]) == [0.50, 0.31, 0.19]


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("temperature-formula", tmp_path)
