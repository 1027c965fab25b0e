"""temperature-table: softmax at the swept temperatures, T = 0 greedy, and what the scene ends on."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.maths import sample_indices, sampled_words, shown_probabilities, softmax
from explainer.script.sweep import sweep_plan
from scenes_support import assert_renders_cleanly, lecture, render_last_frame, scene_class

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


def test_inverse_cdf_sampling_by_hand():
    # cumulative 0.5, 0.8, 1.0: u below .5 picks 0, below .8 picks 1, else 2
    assert list(sample_indices([0.5, 0.3, 0.2], [0.0, 0.49, 0.5, 0.79, 0.8, 0.999])) == [0, 0, 1, 1, 2, 2]
    assert list(sample_indices([1.0, 0.0, 0.0], [0.3, 0.999])) == [0, 0]          # greedy: always the top


def test_seeded_draws_recomputed_by_hand():
    words, logits = ["想", "看", "們", "走"], [2.0, 1.0, 0.5, 0.1]
    dice = np.random.default_rng(39).random(10)   # the uniforms the sampler rolls
    np.testing.assert_allclose(dice, [0.5017, 0.5393, 0.1359, 0.3064, 0.5792, 0.7913, 0.1511, 0.2292,
                                      0.9404, 0.6662], atol=5e-5)
    # T = 1: e^2, e^1, e^.5, e^.1 = 7.389, 2.718, 1.649, 1.105 (sum 12.861); cumulative .5745 .7859 .9141
    assert "".join(sampled_words(words, logits, 1.0, 39, 10)) == "想想想想看們想想走看"
    # T = 1.5: e^1.333, e^.667, e^.333, e^.067 = 3.794 1.948 1.396 1.069 (8.207); cumulative .4623 .6997 .8697
    assert "".join(sampled_words(words, logits, 1.5, 39, 10)) == "看看想想看們想想走看"
    # T = 0.2: cumulative .9927 for 想, above every die (largest .9404); T = 0: greedy
    assert sampled_words(words, logits, 0.2, 39, 10) == ["想"] * 10
    assert sampled_words(words, logits, 0.0, 39, 10) == ["想"] * 10


def test_card_examples_come_from_the_sweep():
    assert module.regime_examples([1.0, 0.2, 1.5]) == {module.LOW: 0.2, module.HIGH: 1.5}
    assert module.regime_examples([1.0, 0.5, 0.3, 2.0, 1.2]) == {module.LOW: 0.3, module.HIGH: 2.0}
    assert module.regime_examples([1.0, 0.0]) == {}
    assert module.visited_temperatures([1.0, 0.2, 1.5]) == [1.0, 0.2, 0.0, 1.5]


@pytest.fixture(scope="module")
def default_scene(tmp_path_factory):
    return render_last_frame("temperature-table", tmp_path_factory.mktemp("tt"))


def test_scene_ends_at_the_last_sweep_value_with_matching_bars(default_scene):
    params = lecture().slide("temperature-table").params
    assert default_scene.part("t_value").get_value() == pytest.approx(params.sweep[-1])
    bars, cards, rows = (default_scene.part(name) for name in ("bars", "cards", "rows"))
    shown = [round(label.get_value(), 2) for label in bars.value_labels]
    assert shown == list(shown_probabilities(params.logits, params.sweep[-1]))
    assert [w.original_text for w in bars.word_labels] == list(params.words)
    names = [name for name, *_ in default_scene.step_marks]
    assert names == ["title", "sweep-to-0.2", "greedy", "sweep-to-1.5", "bullets"]
    # Both rows of the table are on screen, with the script's cells and the sweep's example T.
    texts = {t.original_text for card in cards for t in card.get_family()
             if hasattr(t, "original_text")}
    for row in params.rows:
        assert {row.mode, row.use} <= texts
    headings = [card.heading.original_text for card in cards]
    assert headings == [f"{params.rows[0].regime}（{params.labels.example.format(t=0.2)}）",
                        f"{params.rows[1].regime}（{params.labels.example.format(t=1.5)}）"]
    # One row of seeded draws per temperature visited (1, 0.2, 0, 1.5), as sampled_words gives them.
    temps = module.visited_temperatures(list(params.sweep))
    assert [row.words() for row in rows] == [
        sampled_words(params.words, params.logits, t, params.seed, params.draws) for t in temps]
    assert [row.label.get_tex_string() for row in rows] == [f"T = {t:g}" for t in temps]
    # The ghost keeps the T = 1 bars: heights proportional to softmax at T = 1.
    ghost = [bar.height for bar in default_scene.part("ghost")]
    reference = softmax(params.logits, 1.0)
    assert np.array(ghost) / ghost[0] == pytest.approx(reference / reference[0], abs=1e-3)
    assert default_scene.layout_findings == []


def test_changed_params_change_the_bars(tmp_path):
    params = dict(lecture().slide("temperature-table").params)
    params.update(words=["想", "看", "們"], logits=LOGITS, sweep=[1.0, 0.5, 2.0])
    scene = render_last_frame("temperature-table", tmp_path, params=params)
    assert scene.part("t_value").get_value() == pytest.approx(2.0)
    # 0.5017, 0.3043, 0.1940 printed so they add to 1.00 (plain rounding gives 0.99)
    assert [round(label.get_value(), 2) for label in scene.part("bars").value_labels] == [0.50, 0.31, 0.19]


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("temperature-table", tmp_path)
