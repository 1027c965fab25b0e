"""AttentionLines (weights as stroke width/opacity) and AttentionGrid (numbered, shaded cells)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import PI, ManimColor

from explainer.scenekit.components.attention import AttentionGrid, AttentionLines
from explainer.scenekit.components.tokens import TokenRow


def _finish(animation) -> None:
    animation.begin()
    animation.interpolate(1.0)


def test_lines_encode_weights_as_width_and_opacity():
    row = TokenRow(["我", "喜歡", "吃", "蘋果"])
    lines = AttentionLines(row[3], [row[0], row[1], row[2]], [0.1, 0.7, 0.2])
    widths = [line.get_stroke_width() for line in lines.lines]
    opacities = [line.get_stroke_opacity() for line in lines.lines]
    assert widths[1] > widths[2] > widths[0]
    assert opacities[1] > opacities[2] > opacities[0]
    assert lines.style_for(1.0) == (lines.max_width, 1.0)


def test_lines_animate_to_new_weights():
    row = TokenRow(["我", "吃", "蘋果"])
    lines = AttentionLines(row[2], [row[0], row[1]], [0.9, 0.1], arc_angle=PI / 2)
    _finish(lines.animate_weights([0.1, 0.9]))
    assert lines.lines[1].get_stroke_width() > lines.lines[0].get_stroke_width()
    assert list(lines.weights) == [0.1, 0.9]
    # Arcs above the row start at the tops of the boxes.
    assert lines.lines[0].get_start()[1] == pytest.approx(row[2].get_top()[1])


def test_lines_need_one_weight_per_target():
    row = TokenRow(["我", "吃"])
    with pytest.raises(ValueError):
        AttentionLines(row[0], [row[1]], [0.5, 0.5])


def test_grid_shows_numbers_labels_and_shades_by_value():
    grid = AttentionGrid([[1.0, 2.0], [3.0, 4.0]], row_labels=["我", "吃"], col_labels=["我", "吃"])
    assert grid.shape == (2, 2)
    assert grid.number(1, 0).get_value() == pytest.approx(3.0)
    assert grid.cell(1, 1).get_fill_opacity() > grid.cell(0, 0).get_fill_opacity()
    # Row labels left of their rows, column labels above their columns.
    assert grid.row_labels[1].get_right()[0] < grid.cell(1, 0).get_left()[0]
    assert grid.col_labels[0].get_bottom()[1] > grid.cell(0, 0).get_top()[1]
    # Numbers stay readable: digits at least 2.8% of an 8-unit frame.
    assert grid.number(0, 0).height >= 0.224


def test_grid_animates_scores_to_weights_and_keeps_numbers_centred():
    scores = np.array([[2.0, 1.0], [0.0, -1.25]])
    weights = np.array([[0.73, 0.27], [0.78, 0.22]])
    grid = AttentionGrid(scores, shade_range=(0, 1), color="#4EA8FF")
    _finish(grid.animate_values(weights, color="#FF9F1C"))
    assert grid.number(1, 1).get_value() == pytest.approx(0.22)
    assert np.allclose(grid.number(1, 1).get_center(), grid.cell(1, 1).get_center(), atol=1e-6)
    assert grid.cell(0, 0).get_fill_color() == ManimColor("#FF9F1C")
    assert np.allclose(grid.values, weights)
    # The numbers keep the text colour (the grid's tint is not `.color`).
    assert grid.number(0, 0).get_color() != ManimColor("#FF9F1C")


def test_grid_can_animate_selected_rows_only():
    grid = AttentionGrid([[1.0, 2.0], [3.0, 4.0]])
    _finish(grid.animate_values([[0.0, 0.0], [9.0, 9.0]], rows=[1]))
    assert grid.number(0, 1).get_value() == pytest.approx(2.0)
    assert grid.number(1, 1).get_value() == pytest.approx(9.0)
