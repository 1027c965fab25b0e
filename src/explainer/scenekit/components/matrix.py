"""Small vectors and matrices of numbers: coloured cells or brackets, a symbol and a shape label."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, UP, DecimalNumber, MathTex, Rectangle, VGroup, VMobject
from manim.animation.animation import Animation
from numpy.typing import ArrayLike

from explainer.scenekit.components.grid import NUMBER_SIZE, NumberGrid
from explainer.scenekit.components.text import current_theme, tint
from explainer.scenekit.components.text import font_size as named_size


class MatrixBlock(VGroup):
    """`MatrixBlock(values, color=theme.query, symbol="Q", shape_label=True)`: a grid of numbered cells.

    `entry(i, j)` is the DecimalNumber, `cell(i, j)` its rectangle, `row(i)` / `column(j)` group them;
    `.body` is the NumberGrid (cells and numbers), `.symbol` (MathTex above, or None) and `.shape_label` (MathTex "3 \\times 4"
    below, or None). `brackets=True` draws [ ] instead of cell borders. `recolor(c)` re-tints the
    cells; `animate_values(new)` changes the numbers. `.tint` is the role colour (not `.color`,
    which on a VMobject recolours the whole family, numbers included).
    """

    def __init__(self, values: ArrayLike, color: str | None = None, symbol: str | None = None,
                 shape_label: bool = False, decimals: int = 1, font_size: str | float = NUMBER_SIZE,
                 cell_width: float | None = None, cell_height: float = 0.55, fill_opacity: float = 0.18,
                 brackets: bool = False, symbol_size: str | float = "title", symbol_side: np.ndarray = UP,
                 role: str | None = None) -> None:
        super().__init__()
        theme = current_theme()
        self.tint = tint(color, role, default="output")
        # Brackets replace the cells' outline and fill; the cells stay, to place and group numbers.
        self.body = NumberGrid(values, decimals=decimals, font_size=font_size, cell_width=cell_width,
                               cell_height=cell_height, stroke_color=self.tint,
                               stroke_width=0 if brackets else 2, stroke_opacity=0.8, fill_color=self.tint,
                               fill_opacity=0 if brackets else fill_opacity)
        self.cells, self.entries = self.body.cells, self.body.numbers
        rows, cols = self.shape
        self.add(self.body)
        self.brackets: VGroup | None = None
        if brackets:
            self.brackets = self._brackets(self.cells)
            self.add(self.brackets)
        self.symbol: MathTex | None = None
        if symbol:
            self.symbol = MathTex(symbol, font_size=named_size(symbol_size), color=self.tint)
            self.symbol.next_to(self.body, symbol_side, buff=0.15)
            self.add(self.symbol)
        self.shape_label: MathTex | None = None
        if shape_label:
            self.shape_label = MathTex(rf"{rows} \times {cols}", font_size=NUMBER_SIZE, color=theme.palette["muted"])
            self.shape_label.next_to(self.body, DOWN, buff=0.15)
            self.add(self.shape_label)

    def _brackets(self, around: VGroup) -> VGroup:
        """Square brackets drawn as polylines (a stretched TeX bracket would distort its stroke)."""
        top, bottom = around.get_top()[1] + 0.05, around.get_bottom()[1] - 0.05
        x0, x1, tick = around.get_left()[0] - 0.08, around.get_right()[0] + 0.08, 0.12
        style = {"color": self.tint, "stroke_width": 3}
        left = VMobject(**style).set_points_as_corners(
            [[x0 + tick, top, 0], [x0, top, 0], [x0, bottom, 0], [x0 + tick, bottom, 0]])
        right = VMobject(**style).set_points_as_corners(
            [[x1 - tick, top, 0], [x1, top, 0], [x1, bottom, 0], [x1 - tick, bottom, 0]])
        return VGroup(left, right)

    @property
    def values(self) -> np.ndarray:
        """The values shown (rows × cols)."""
        return self.body.values

    @property
    def shape(self) -> tuple[int, int]:
        return self.body.shape

    def entry(self, i: int, j: int) -> DecimalNumber:
        """The number at row i, column j."""
        return self.body.number(i, j)

    def cell(self, i: int, j: int) -> Rectangle:
        """The cell behind the number at row i, column j."""
        return self.body.cell(i, j)

    def row(self, i: int) -> VGroup:
        """Row i: its cells and numbers."""
        return self.body.row(i)

    def column(self, j: int) -> VGroup:
        """Column j: its cells and numbers."""
        return self.body.column(j)

    def recolor(self, color: str | None = None, fill_opacity: float = 0.18, role: str | None = None) -> MatrixBlock:
        """Tint the cells (and the symbol) with `color` (or the theme's `role`) now."""
        color = tint(color, role, default="output")
        self.tint = color
        for cell in self.cells:
            if cell.get_stroke_width() > 0:
                cell.set_stroke(color=color).set_fill(color=color, opacity=fill_opacity)
        if self.brackets is not None:
            self.brackets.set_stroke(color=color)
        if self.symbol is not None:
            self.symbol.set_color(color)
        return self

    def animate_values(self, values: ArrayLike) -> Animation:
        """Animate the numbers to `values` (same shape)."""
        return self.body.animate_values(values, owner=self)


class VectorBlock(MatrixBlock):
    """A vector of numbers as a column (`direction=DOWN`, default) or a row (`direction=RIGHT`).

    `VectorBlock([1.0, 1.5], color=theme.query, symbol="q")`: `entry_at(k)` is the k-th number,
    `.vector` the values as a 1-D array; everything else as MatrixBlock (`symbol_side` defaults to
    LEFT for a column and UP for a row).
    """

    def __init__(self, values: Sequence[float] | ArrayLike, direction: np.ndarray = DOWN,
                 symbol_side: np.ndarray | None = None, **kwargs: object) -> None:
        vector = np.asarray(values, dtype=float).ravel()
        column = bool(np.allclose(direction, DOWN))
        grid = vector.reshape(-1, 1) if column else vector.reshape(1, -1)
        side = symbol_side if symbol_side is not None else (LEFT if column else UP)
        super().__init__(grid, symbol_side=side, **kwargs)  # type: ignore[arg-type]
        self.column_vector = column

    @property
    def vector(self) -> np.ndarray:
        return self.values.ravel()

    def entry_at(self, k: int) -> DecimalNumber:
        """The k-th number."""
        return self.entries[k]

    def animate_vector(self, values: ArrayLike) -> Animation:
        """Animate the numbers to a new vector."""
        vector = np.asarray(values, dtype=float).ravel()
        return self.animate_values(vector.reshape(self.values.shape))

