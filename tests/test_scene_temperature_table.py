"""temperature-table: softmax at the swept temperatures, T = 0 greedy, and what the scene ends on."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.maths import softmax, sweep_plan
from scenes_support import lecture, render_last_frame, scene_class

LOGITS = [2.0, 1.0, 0.1]
module = __import__(scene_class("temperature-table").__module__)


@pytest.mark.parametrize(
    ("temperature", "expected"),
    [(1.0, [0.659, 0.242, 0.099]), (0.5, [0.864, 0.117, 0.019]), (2.0, [0.502, 0.304, 0.194]),
     (0.0, [1.0, 0.0, 0.0])],
)
def test_softmax_at_the_temperatures_the_bars_show(temperature, expected):
    assert softmax(LOGITS, temperature) == pytest.approx(expected, abs=5e-4)


def test_sweep_dips_to_greedy_after_its_lowest_value():
    assert sweep_plan([1.0, 0.2, 1.5]) == [0.2, 0.0, 1.5]
    assert sweep_plan([1.5, 0.0, 1.0]) == [0.0, 1.0]          # already reaches 0
    assert [module.regime_of(t) for t in (0.2, 1.0, 1.5)] == [module.LOW, None, module.HIGH]


@pytest.fixture(scope="module")
def default_scene(tmp_path_factory):
    return render_last_frame("temperature-table", tmp_path_factory.mktemp("tt"))


def test_scene_ends_at_the_last_sweep_value_with_matching_bars(default_scene):
    params = lecture().slide("temperature-table").params
    assert default_scene.t_value.get_value() == pytest.approx(params.sweep[-1])
    shown = [round(label.get_value(), 2) for label in default_scene.bars.value_labels]
    assert shown == list(np.round(softmax(params.logits, params.sweep[-1]), 2))
    assert [w.original_text for w in default_scene.bars.word_labels] == list(params.words)
    names = [name for name, *_ in default_scene.step_marks]
    assert names == ["title", "sweep-to-0.2", "greedy", "sweep-to-1.5", "bullets"]
    # Both rows of the table are on screen, with the script's cells.
    texts = {t.original_text for card in default_scene.cards for t in card.get_family()
             if hasattr(t, "original_text")}
    for row in params.rows:
        assert {row.regime, row.mode, row.use} <= texts
    assert default_scene.layout_findings == []


def test_changed_params_change_the_bars(tmp_path):
    params = dict(lecture().slide("temperature-table").params)
    params.update(words=["想", "看", "們"], logits=LOGITS, sweep=[1.0, 0.5, 2.0])
    scene = render_last_frame("temperature-table", tmp_path, params=params)
    assert scene.t_value.get_value() == pytest.approx(2.0)
    assert [round(label.get_value(), 2) for label in scene.bars.value_labels] == [0.50, 0.30, 0.19]
