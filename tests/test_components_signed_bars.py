"""SignedBars: bar heights and directions follow the values; stacked bars start at the other's tips."""

from __future__ import annotations

import pytest

from explainer.scenekit.components.signed_bars import MIN_BAR_HEIGHT, SignedBars


def test_bars_grow_up_for_positive_and_down_for_negative():
    bars = SignedBars([0.5, -0.25, 0.0], unit=2.0, pitch=0.2)
    base = bars.baseline.get_y()
    up, down, zero = bars.bars
    assert up.height == pytest.approx(1.0) and up.get_bottom()[1] == pytest.approx(base)
    assert down.height == pytest.approx(0.5) and down.get_top()[1] == pytest.approx(base)
    assert zero.height == pytest.approx(MIN_BAR_HEIGHT)
    assert down.get_x() - up.get_x() == pytest.approx(0.2)


def test_stacked_bars_start_where_the_other_bars_end():
    x = SignedBars([0.5, -0.25], unit=2.0).shift([1.0, -1.0, 0])
    f = SignedBars([0.1, -0.2], unit=2.0)
    stacked = f.stacked_on(x)
    base = x.baseline.get_y()
    # 0.5 + 0.1 = 0.6 → top at base + 1.2; -0.25 - 0.2 = -0.45 → bottom at base - 0.9.
    assert stacked.bars[0].get_bottom()[1] == pytest.approx(base + 1.0)
    assert stacked.bars[0].get_top()[1] == pytest.approx(base + 1.2)
    assert stacked.bars[1].get_top()[1] == pytest.approx(base - 0.5)
    assert stacked.bars[1].get_bottom()[1] == pytest.approx(base - 0.9)
    assert stacked.bars[0].get_x() == pytest.approx(x.bars[0].get_x())
