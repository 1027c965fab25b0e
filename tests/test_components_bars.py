"""ProbabilityBars: heights proportional to values, numbers matching them, animation and updaters."""

from __future__ import annotations

import numpy as np
import pytest
from manim import RIGHT, ValueTracker

from explainer.maths import softmax
from explainer.scenekit.components.bars import ProbabilityBars

WORDS = ["想", "看", "們"]
LOGITS = [2.0, 1.0, 0.1]


def heights(chart: ProbabilityBars) -> np.ndarray:
    return np.array([bar.height for bar in chart.bars])


def shown(chart: ProbabilityBars) -> list[float]:
    return [round(label.get_value(), 2) for label in chart.value_labels]


def test_heights_are_proportional_to_probabilities_on_a_fixed_scale():
    chart = ProbabilityBars(WORDS, [0.5, 0.25, 0.25], max_height=2.0)
    assert heights(chart) == pytest.approx([1.0, 0.5, 0.5], abs=1e-6)
    assert shown(chart) == [0.5, 0.25, 0.25]
    assert [w.original_text for w in chart.word_labels] == WORDS


def test_bars_stand_on_the_baseline_with_numbers_above_and_words_below():
    chart = ProbabilityBars(WORDS, [0.6, 0.3, 0.1])
    base = chart.baseline.get_y()
    for bar, label, word in zip(chart.bars, chart.value_labels, chart.word_labels):
        assert bar.get_bottom()[1] == pytest.approx(base)
        assert label.get_bottom()[1] > bar.get_top()[1]
        assert word.get_top()[1] < base
        assert abs(label.get_x() - bar.get_x()) < 1e-6


def test_logits_are_signed_and_negative_bars_grow_down():
    chart = ProbabilityBars(["a", "b", "c"], [2.0, -1.0, 0.5], max_height=2.0, decimals=1)
    base = chart.baseline.get_y()
    assert heights(chart) == pytest.approx([2.0, 1.0, 0.5], abs=1e-6)
    assert chart.bars[1].get_top()[1] == pytest.approx(base)
    assert chart.bars[1].get_bottom()[1] == pytest.approx(base - 1.0)
    # Words sit below the deepest negative bar, never on it.
    assert all(w.get_top()[1] < base - 1.0 for w in chart.word_labels)
    assert shown(chart) == [2.0, -1.0, 0.5]


def test_animate_to_reaches_the_new_values():
    chart = ProbabilityBars(WORDS, softmax(LOGITS, 1.0), max_height=2.0)
    animation = chart.animate_to(softmax(LOGITS, 0.5))
    animation.begin()
    animation.interpolate(0.5)
    middle = chart.values
    animation.finish()
    assert shown(chart) == [0.86, 0.12, 0.02]
    assert heights(chart) == pytest.approx(2.0 * softmax(LOGITS, 0.5), abs=1e-6)
    assert middle == pytest.approx((softmax(LOGITS, 1.0) + softmax(LOGITS, 0.5)) / 2)


def test_follow_recomputes_softmax_from_a_temperature_tracker():
    temperature = ValueTracker(1.0)
    chart = ProbabilityBars(WORDS, np.zeros(3), max_height=2.0)
    chart.follow(temperature, lambda t: softmax(LOGITS, t))
    assert shown(chart) == [0.66, 0.24, 0.10]
    temperature.set_value(2.0)
    chart.update()
    assert shown(chart) == [0.50, 0.30, 0.19]
    temperature.set_value(0.0)   # greedy: one-hot, no division by zero
    chart.update()
    assert shown(chart) == [1.0, 0.0, 0.0]
    chart.stop_following()
    temperature.set_value(1.0)
    chart.update()
    assert shown(chart) == [1.0, 0.0, 0.0]


def test_moved_and_scaled_chart_keeps_bars_on_its_baseline():
    chart = ProbabilityBars(WORDS, [0.5, 0.3, 0.2], max_height=2.0)
    chart.scale(0.5).shift(RIGHT * 3)
    chart.set_values([1.0, 0.0, 0.0])
    assert heights(chart)[0] == pytest.approx(1.0, abs=1e-6)
    assert chart.bars[0].get_bottom()[1] == pytest.approx(chart.baseline.get_y())


def test_highlight_colours_one_bar_and_its_word():
    chart = ProbabilityBars(WORDS, [0.5, 0.3, 0.2], color="#4EA8FF")
    animation = chart.highlight(1, color="#FF9F1C")
    animation.begin()
    animation.finish()
    assert chart.bars[1].get_fill_color().to_hex().upper() == "#FF9F1C"
    assert chart.word(1).get_color().to_hex().upper() == "#FF9F1C"
    assert chart.bars[0].get_fill_color().to_hex().upper() == "#4EA8FF"


def test_words_and_values_must_match():
    with pytest.raises(ValueError, match="one value per word"):
        ProbabilityBars(WORDS, [0.5, 0.5])


def test_decimals_follow_how_the_numbers_are_written():
    from explainer.scenekit.components.bars import decimals_for

    assert decimals_for([2.0, 1.0, 0.1]) == 1
    assert decimals_for([2.25, 1.0]) == 2
    assert decimals_for([0.123456]) == 2
