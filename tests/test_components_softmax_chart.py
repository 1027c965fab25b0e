"""The logits → probabilities chart: softmax at T, exact bar heights, printed numbers adding to 1."""

from __future__ import annotations

import numpy as np
import pytest
from manim import ManimColor, ValueTracker

from explainer.maths import shown_probabilities, softmax
from explainer.scenekit.components.softmax_chart import STAGE_HEIGHT, SoftmaxBars, softmax_stage_bars, stage_bars
from explainer.scenekit.components.text import current_theme

WORDS = ["想", "看", "們"]


def printed(chart) -> list[float]:
    return [round(float(label.get_value()), 2) for label in chart.value_labels]


def test_shown_probabilities_by_hand():
    # e^2, e^1, e^0 = 7.389, 2.718, 1 (sum 11.107): 0.665, 0.245, 0.090. Plain rounding prints
    # 0.67 + 0.24 + 0.09 = 1.00 already; the shares keep that.
    assert softmax([2.0, 1.0, 0.0]) == pytest.approx([0.665, 0.245, 0.090], abs=5e-4)
    assert list(shown_probabilities([2.0, 1.0, 0.0])) == [0.67, 0.24, 0.09]
    # T = 2: z / T = 1, 0.5, 0.05; e^ = 2.718, 1.649, 1.051 (sum 5.418): 0.5017, 0.3043, 0.1940.
    # Plain rounding prints 0.50 + 0.30 + 0.19 = 0.99; the spare hundredth goes to the largest
    # remainder (.43 of 30.43).
    assert list(shown_probabilities([2.0, 1.0, 0.1], 2.0)) == [0.50, 0.31, 0.19]
    assert list(shown_probabilities([2.0, 1.0, 0.1], 0.0)) == [1.0, 0.0, 0.0]    # greedy


def test_bars_are_exact_numbers_add_up():
    chart = SoftmaxBars(WORDS, [2.0, 1.0, 0.1], 2.0, max_height=2.0)
    assert chart.values == pytest.approx([0.5017, 0.3043, 0.1940], abs=5e-4)
    heights = np.array([bar.height for bar in chart.bars])
    assert heights == pytest.approx(2.0 * chart.values, abs=1e-6)        # 0..1 scale, exact heights
    assert printed(chart) == [0.50, 0.31, 0.19]
    assert list(chart.shown_values) == pytest.approx([0.50, 0.31, 0.19])
    assert chart.color == ManimColor(current_theme().palette["probability"])


def test_following_the_temperature():
    tracker = ValueTracker(1.0)
    chart = SoftmaxBars(WORDS, [2.0, 1.0, 0.0], tracker.get_value()).follow_temperature(tracker)
    assert printed(chart) == [0.67, 0.24, 0.09]
    tracker.set_value(0.5)
    chart.update()
    # z / T = 4, 2, 0: e^ = 54.60, 7.389, 1 (sum 62.99): 0.8668, 0.1173, 0.0159. Plain rounding
    # prints 0.87 + 0.12 + 0.02 = 1.01; the shares floor to 86, 11, 1 hundredths and give the two
    # left to the largest remainders (.73 and .68).
    assert chart.values == pytest.approx([0.8668, 0.1173, 0.0159], abs=5e-4)
    assert printed(chart) == [0.87, 0.12, 0.01]
    chart.stop_following()


def test_growing_from_zero_prints_shares_of_the_total_so_far():
    chart = SoftmaxBars(WORDS, [2.0, 1.0, 0.0])
    animation = chart.grow()
    animation.begin()
    animation.interpolate(0.0)
    assert printed(chart) == [0.0, 0.0, 0.0]
    animation.interpolate(1.0)
    assert printed(chart) == [0.67, 0.24, 0.09]


def test_stage_charts_share_one_size():
    logits = stage_bars(WORDS, [2.0, 1.0, 0.1], "muted", max_value=2.0)
    assert logits.decimals == 1                                 # written as 2.0, 1.0, 0.1
    assert logits.bars[0].height == pytest.approx(STAGE_HEIGHT)
    scaled = stage_bars(WORDS, [1.0, 0.5, 0.05], "highlight")
    assert scaled.decimals == 2
    probs = softmax_stage_bars(WORDS, [2.0, 1.0, 0.1])
    assert probs.bars[0].width == pytest.approx(logits.bars[0].width)
    assert probs.bars[0].height == pytest.approx(STAGE_HEIGHT * 0.659, abs=2e-3)   # fixed 0..1 scale
    assert printed(probs) == [0.66, 0.24, 0.10]
