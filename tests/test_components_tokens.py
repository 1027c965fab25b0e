"""TokenRow: indexable token boxes, laid out in a row or column, highlightable."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DOWN, ManimColor

from explainer.scenekit.components.tokens import TokenBox, TokenRow
from explainer.script.theme import DEFAULT_PALETTE


def test_row_is_indexable_and_ordered_left_to_right():
    row = TokenRow(["我", "喜歡", "吃", "蘋果"])
    assert len(row) == 4
    assert isinstance(row[1], TokenBox)
    assert row[1].label.original_text == "喜歡"
    xs = [row[i].get_x() for i in range(4)]
    assert xs == sorted(xs)
    # The label sits on its box.
    assert np.allclose(row[3].label.get_center(), row[3].box.get_center(), atol=0.05)


def test_column_stacks_top_to_bottom_with_equal_widths():
    column = TokenRow(["我", "吃", "蘋果"], direction=DOWN)
    ys = [column[i].get_y() for i in range(3)]
    assert ys == sorted(ys, reverse=True)
    assert len({round(column[i].box.width, 3) for i in range(3)}) == 1


def test_index_of_finds_the_last_occurrence_and_explains_a_miss():
    row = TokenRow(["蘋果", "吃", "蘋果"])
    assert row.index_of("蘋果") == 2
    with pytest.raises(KeyError, match="not in the row"):
        row.index_of("手機")


def test_color_token_and_highlight_animation_recolour_one_box():
    row = TokenRow(["我", "吃", "蘋果"])
    row.color_token(0, DEFAULT_PALETTE["query"])
    assert row[0].box.get_stroke_color() == ManimColor(DEFAULT_PALETTE["query"])
    animation = row.highlight(2, DEFAULT_PALETTE["key"], dim_others=True)
    animation.begin()
    animation.interpolate(1.0)
    assert row[2].box.get_stroke_color() == ManimColor(DEFAULT_PALETTE["key"])
    assert row[1].label.get_fill_opacity() < 0.5     # dimmed
    assert row[2].label.get_fill_opacity() == 1.0    # the highlighted one stays bright
    back = row.reset()
    back.begin()
    back.interpolate(1.0)
    assert row[1].label.get_fill_opacity() == 1.0
    assert row[2].box.get_stroke_color() == ManimColor(row.base_color)
