"""MatrixBlock and VectorBlock: numbers in cells or brackets, symbol and shape labels."""

from __future__ import annotations

import numpy as np
import pytest
from manim import RIGHT, ManimColor

from explainer.scenekit.components.matrix import MatrixBlock, VectorBlock


def test_matrix_entries_cells_and_shape_label():
    block = MatrixBlock([[0.1, -1.2, 0.3], [1.0, 2.0, 3.0]], color="#2EC4B6", symbol="W_K", shape_label=True)
    assert block.shape == (2, 3)
    assert block.entry(0, 1).get_value() == pytest.approx(-1.2)
    assert np.allclose(block.entry(1, 2).get_center(), block.cell(1, 2).get_center())
    assert block.shape_label.get_tex_string() == r"2 \times 3"
    assert block.symbol.get_bottom()[1] > block.body.get_top()[1]
    assert block.shape_label.get_top()[1] < block.body.get_bottom()[1]
    assert len(block.row(1)) == 3 and len(block.column(0)) == 2
    assert block.entry(0, 0).height >= 0.224  # readable digits


def test_matrix_recolor_and_animate_values():
    block = MatrixBlock([[1.0, 2.0]], color="#2EC4B6", symbol="K")
    block.recolor("#EF476F")
    assert block.cell(0, 0).get_fill_color() == ManimColor("#EF476F")
    assert block.symbol.get_color() == ManimColor("#EF476F")
    assert block.entry(0, 0).get_color() != ManimColor("#EF476F")  # numbers keep the text colour
    animation = block.animate_values([[0.5, -0.5]])
    animation.begin()
    animation.interpolate(1.0)
    assert block.entry(0, 1).get_value() == pytest.approx(-0.5)
    with pytest.raises(ValueError):
        block.animate_values([[1.0]])


def test_vector_as_column_or_row_with_symbol_beside_it():
    column = VectorBlock([1.0, 1.5], color="#F5C542", symbol="q", brackets=True)
    assert column.shape == (2, 1)
    assert list(column.vector) == [1.0, 1.5]
    assert column.symbol.get_right()[0] < column.body.get_left()[0]
    assert column.brackets is not None
    row = VectorBlock([0.2, 0.8, 0.1], direction=RIGHT, symbol="v")
    assert row.shape == (1, 3)
    assert row.entry_at(2).get_value() == pytest.approx(0.1)
    animation = row.animate_vector([0.0, 0.0, 1.0])
    animation.begin()
    animation.interpolate(1.0)
    assert list(row.vector) == [0.0, 0.0, 1.0]
