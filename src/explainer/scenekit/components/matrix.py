"""Small vectors and matrices of numbers: coloured cells or brackets, a symbol and a shape label."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    DecimalNumber,
    MathTex,
    Mobject,
    Rectangle,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
)
from manim.animation.animation import Animation
from numpy.typing import ArrayLike

from explainer.scenekit.components.text import current_theme, tint


def number_stepper(numbers: Sequence[DecimalNumber], targets: Sequence[float],
                   anchors: Sequence[Mobject]) -> Callable[[float], None]:
    """A function of alpha (0..1) that sets each number between its current value and its target,
    re-centred on its anchor (DecimalNumber otherwise keeps its left edge as digits change)."""
    starts = [float(n.get_value()) for n in numbers]
    ends = [float(t) for t in targets]

    def step(alpha: float) -> None:
        for number, anchor, a, b in zip(numbers, anchors, starts, ends):
            number.set_value(a + (b - a) * alpha)
            number.move_to(anchor)

    return step


def count_numbers(owner: Mobject, numbers: Sequence[DecimalNumber], targets: Sequence[float],
                  anchors: Sequence[Mobject]) -> Animation:
    """Count each number to its target, centred on its anchor.

    The animation is on `owner` (already on screen), so Manim does not re-insert the numbers
    above or beneath anything, as an AnimationGroup of the parts would (it adds a new group).
    """
    step = number_stepper(numbers, targets, anchors)
    return UpdateFromAlphaFunc(owner, lambda _, alpha: step(alpha))


# Digits at MathTex font 34 are ~0.24 units tall: above the layout check's 2.8% of the frame.
NUMBER_FONT = 34


class MatrixBlock(VGroup):
    """`MatrixBlock(values, color=theme.query, symbol="Q", shape_label=True)`: a grid of numbered cells.

    `entry(i, j)` is the DecimalNumber, `cell(i, j)` its rectangle, `row(i)` / `column(j)` group them;
    `.body` is the grid, `.symbol` (MathTex above, or None) and `.shape_label` (MathTex "3 \\times 4"
    below, or None). `brackets=True` draws [ ] instead of cell borders. `recolor(c)` re-tints the
    cells; `animate_values(new)` changes the numbers. `.tint` is the role colour (not `.color`,
    which on a VMobject recolours the whole family, numbers included).
    """

    def __init__(self, values: ArrayLike, color: str | None = None, symbol: str | None = None,
                 shape_label: bool = False, decimals: int = 1, font_size: float = NUMBER_FONT,
                 cell_width: float | None = None, cell_height: float = 0.55, fill_opacity: float = 0.18,
                 brackets: bool = False, symbol_size: float = 40, symbol_side: np.ndarray = UP,
                 role: str | None = None) -> None:
        super().__init__()
        theme = current_theme()
        self.values = np.atleast_2d(np.asarray(values, dtype=float))
        self.tint = tint(color, role, default="output")
        rows, cols = self.values.shape
        self.entries = VGroup(*(
            DecimalNumber(v, num_decimal_places=decimals, font_size=font_size, color=theme.palette["text"],
                          include_sign=False)
            for v in self.values.flat
        ))
        widest = max(e.width for e in self.entries)
        width = cell_width or widest + 0.25
        self.cells = VGroup()
        for index, entry in enumerate(self.entries):
            i, j = divmod(index, cols)
            cell = Rectangle(width=width, height=cell_height, stroke_color=self.tint,
                             stroke_width=0 if brackets else 2, stroke_opacity=0.8,
                             fill_color=self.tint, fill_opacity=0 if brackets else fill_opacity)
            cell.move_to(RIGHT * j * width + DOWN * i * cell_height)
            entry.move_to(cell)
            self.cells.add(cell)
        self.body = VGroup(self.cells, self.entries)
        self.add(self.body)
        self.brackets: VGroup | None = None
        if brackets:
            self.brackets = self._brackets(self.cells)
            self.add(self.brackets)
        self.symbol: MathTex | None = None
        if symbol:
            self.symbol = MathTex(symbol, font_size=symbol_size, color=self.tint)
            self.symbol.next_to(self.body, symbol_side, buff=0.15)
            self.add(self.symbol)
        self.shape_label: MathTex | None = None
        if shape_label:
            self.shape_label = MathTex(rf"{rows} \times {cols}", font_size=NUMBER_FONT, color=theme.palette["muted"])
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
    def shape(self) -> tuple[int, int]:
        return self.values.shape  # type: ignore[return-value]

    def entry(self, i: int, j: int) -> DecimalNumber:
        """The number at row i, column j."""
        return self.entries[i * self.shape[1] + j]

    def cell(self, i: int, j: int) -> Rectangle:
        """The cell behind the number at row i, column j."""
        return self.cells[i * self.shape[1] + j]

    def row(self, i: int) -> VGroup:
        """Row i: its cells and numbers."""
        cols = self.shape[1]
        return VGroup(*(VGroup(self.cells[i * cols + j], self.entries[i * cols + j]) for j in range(cols)))

    def column(self, j: int) -> VGroup:
        """Column j: its cells and numbers."""
        cols = self.shape[1]
        return VGroup(*(VGroup(self.cells[i * cols + j], self.entries[i * cols + j])
                        for i in range(self.shape[0])))

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
        new = np.atleast_2d(np.asarray(values, dtype=float))
        if new.shape != self.values.shape:
            raise ValueError(f"expected shape {self.values.shape}, got {new.shape}")
        self.values = new
        return count_numbers(self, list(self.entries), list(new.flat), list(self.cells))


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
