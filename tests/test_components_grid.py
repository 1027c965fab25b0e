"""NumberGrid: numbers centred in cells, row/column/cell access, values set and counted."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.scenekit.components.attention import AttentionGrid
from explainer.scenekit.components.grid import CELL_PADDING, NumberGrid
from explainer.scenekit.components.matrix import MatrixBlock
from explainer.scenekit.layout import MIN_GLYPH_FRACTION


def _finish(animation) -> None:
    animation.begin()
    animation.interpolate(1.0)


def test_numbers_sit_in_their_cells_row_by_row():
    grid = NumberGrid([[0.5, -1.25, 3.0], [1.0, 2.0, 0.0]], decimals=2)
    assert grid.shape == (2, 3)
    assert grid.submobjects == [grid.cells, grid.numbers]     # AttentionGrid's miniature removes .numbers
    assert grid.number(0, 1).get_value() == pytest.approx(-1.25)
    assert grid.number(0, 1) is grid.numbers[1] and grid.cell(1, 0) is grid.cells[3]
    for (i, j), _ in np.ndenumerate(grid.values):
        assert np.allclose(grid.number(i, j).get_center(), grid.cell(i, j).get_center())
    # Row 1 lies one cell height under row 0; column 2 two cell widths right of column 0.
    assert grid.cell(0, 0).get_y() - grid.cell(1, 0).get_y() == pytest.approx(0.55)
    width = grid.cell(0, 0).width
    assert grid.cell(0, 2).get_x() - grid.cell(0, 0).get_x() == pytest.approx(2 * width)
    # The default width is the widest number ("-1.25") plus the padding.
    assert width == pytest.approx(max(n.width for n in grid.numbers) + CELL_PADDING)
    assert len(grid.row(1)) == 3 and len(grid.column(2)) == 2
    assert grid.row(1)[2][1] is grid.number(1, 2)


def test_digits_stay_readable_and_sizes_take_theme_names():
    grid = NumberGrid([[0.25]])
    assert grid.number(0, 0).height >= MIN_GLYPH_FRACTION * 8.0
    named = NumberGrid([[0.25]], font_size="heading")      # theme size 32
    assert named.number(0, 0).font_size == pytest.approx(32)


def test_set_values_and_counting_keep_numbers_centred():
    grid = NumberGrid([[1.0, 2.0], [3.0, 4.0]], decimals=1, cell_width=1.2)
    grid.set_values([[10.5, 2.0], [3.0, 4.0]])
    assert grid.number(0, 0).get_value() == pytest.approx(10.5)
    assert np.allclose(grid.number(0, 0).get_center(), grid.cell(0, 0).get_center())
    # Only row 1 counts; row 0 keeps what it shows, and .values says so at once.
    animation = grid.animate_values([[0.0, 0.0], [-7.5, 9.0]], rows=[1])
    assert grid.values.tolist() == [[10.5, 2.0], [-7.5, 9.0]]
    animation.begin()
    animation.interpolate(0.5)
    assert grid.number(1, 0).get_value() == pytest.approx(-2.25)     # halfway from 3 to -7.5
    animation.interpolate(1.0)
    assert grid.number(1, 1).get_value() == pytest.approx(9.0)
    assert grid.number(0, 0).get_value() == pytest.approx(10.5)
    assert np.allclose(grid.number(1, 0).get_center(), grid.cell(1, 0).get_center())
    with pytest.raises(ValueError, match=r"expected shape \(2, 2\)"):
        grid.animate_values([[1.0, 2.0]])


def test_matrix_and_attention_grid_build_on_it():
    block = MatrixBlock([[1.0, 2.0]], role="key", symbol="K")
    assert isinstance(block.body, NumberGrid)
    assert block.entries is block.body.numbers and block.cells is block.body.cells
    assert block.entry(0, 1) is block.body.number(0, 1)
    _finish(block.animate_values([[0.5, -0.5]]))
    assert block.values.tolist() == [[0.5, -0.5]]
    grid = AttentionGrid([[1.0, 2.0], [3.0, 4.0]], row_labels=["我", "吃"])
    assert isinstance(grid, NumberGrid)
    assert grid.cell(0, 0).width == pytest.approx(0.95) and grid.cell(0, 0).height == pytest.approx(0.95)
