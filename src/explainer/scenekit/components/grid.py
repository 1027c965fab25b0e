"""A grid of live numbers in cells, shared by matrices and attention grids."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import DOWN, RIGHT, DecimalNumber, Mobject, Rectangle, UpdateFromAlphaFunc, VGroup
from manim.animation.animation import Animation
from numpy.typing import ArrayLike

from explainer.scenekit.components.text import current_theme
from explainer.scenekit.components.text import font_size as named_size

# Digits at MathTex font 34 are ~0.24 units tall: above the layout check's 2.8% of the frame
# (0.224 units) with room to spare, which the named sizes ("heading" 32: 0.228) barely clear.
NUMBER_SIZE = 34
CELL_PADDING = 0.25   # a cell sized to its numbers: the widest number plus this much


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


class NumberGrid(VGroup):
    """`NumberGrid(values, decimals=2)`: a rows × cols grid of cells, a live DecimalNumber centred in each.

    Its two submobjects are `.cells` and `.numbers` (flat, row by row): `cell(i, j)` / `number(i, j)`
    pick one, `row(i)` / `column(j)` group (cell, number) pairs. Cells are `cell_width` wide (default:
    the widest number plus CELL_PADDING) and `cell_height` tall, outlined in `stroke_color` (default
    the muted role) and filled with `fill_color` at `fill_opacity`. `font_size` takes a theme size
    name or a number. `set_values(v)` shows new values now; `animate_values(v, rows=None)` counts
    the numbers there; `count_to` is the same as a function of alpha, for animations that also
    restyle the cells. Values always keep the grid's shape.
    """

    def __init__(self, values: ArrayLike, *, decimals: int = 2, font_size: str | float = NUMBER_SIZE,
                 cell_width: float | None = None, cell_height: float = 0.55, stroke_color: str | None = None,
                 stroke_width: float = 2.0, stroke_opacity: float = 1.0, fill_color: str | None = None,
                 fill_opacity: float = 0.0) -> None:
        super().__init__()
        theme = current_theme()
        self.values = np.atleast_2d(np.asarray(values, dtype=float))
        self.decimals = decimals
        cols = self.values.shape[1]
        size = named_size(font_size)
        # include_sign=False: a minus shows, a plus would only widen every cell.
        self.numbers = VGroup(*(
            DecimalNumber(v, num_decimal_places=decimals, font_size=size, color=theme.palette["text"],
                          include_sign=False)
            for v in self.values.flat
        ))
        width = cell_width or max(n.width for n in self.numbers) + CELL_PADDING
        self.cells = VGroup()
        for index, number in enumerate(self.numbers):
            i, j = divmod(index, cols)
            cell = Rectangle(width=width, height=cell_height, stroke_color=stroke_color or theme.palette["muted"],
                             stroke_width=stroke_width, stroke_opacity=stroke_opacity,
                             fill_color=fill_color or theme.palette["panel"], fill_opacity=fill_opacity)
            cell.move_to(RIGHT * j * width + DOWN * i * cell_height)
            number.move_to(cell)
            self.cells.add(cell)
        self.add(self.cells, self.numbers)

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape  # type: ignore[return-value]

    def cell(self, i: int, j: int) -> Rectangle:
        """The cell behind the number at row i, column j."""
        return self.cells[i * self.shape[1] + j]

    def number(self, i: int, j: int) -> DecimalNumber:
        """The number at row i, column j."""
        return self.numbers[i * self.shape[1] + j]

    def row(self, i: int) -> VGroup:
        """Row i: a (cell, number) group per column."""
        return VGroup(*(VGroup(self.cell(i, j), self.number(i, j)) for j in range(self.shape[1])))

    def column(self, j: int) -> VGroup:
        """Column j: a (cell, number) group per row."""
        return VGroup(*(VGroup(self.cell(i, j), self.number(i, j)) for i in range(self.shape[0])))

    def checked(self, values: ArrayLike) -> np.ndarray:
        """`values` as a 2-D array of the grid's shape (else a ValueError saying both shapes)."""
        new = np.atleast_2d(np.asarray(values, dtype=float))
        if new.shape != self.values.shape:
            raise ValueError(f"expected shape {self.values.shape}, got {new.shape}")
        return new

    def set_values(self, values: ArrayLike) -> NumberGrid:
        """Show `values` now, each number re-centred in its cell."""
        self.values = self.checked(values)
        for (i, j), value in np.ndenumerate(self.values):
            self.number(i, j).set_value(value).move_to(self.cell(i, j))
        return self

    def count_to(self, values: ArrayLike, rows: Sequence[int] | None = None) -> Callable[[float], None]:
        """A function of alpha counting the numbers of `rows` (default all) to `values`; `.values`
        holds the target from now on (other rows keep theirs)."""
        new = self.checked(values)
        chosen = list(range(self.shape[0]) if rows is None else rows)
        merged = self.values.copy()
        merged[chosen] = new[chosen]
        self.values = merged
        cells = [(i, j) for i in chosen for j in range(self.shape[1])]
        return number_stepper([self.number(i, j) for i, j in cells], [merged[i, j] for i, j in cells],
                              [self.cell(i, j) for i, j in cells])

    def animate_values(self, values: ArrayLike, rows: Sequence[int] | None = None,
                       owner: Mobject | None = None) -> Animation:
        """Count the numbers (of `rows`) to `values`.

        The animation is on `owner` (default the grid; a block holding the grid passes itself),
        which is already on screen, so Manim does not re-insert the numbers above or beneath
        anything, as an AnimationGroup of the parts would (it adds a new group).
        """
        step = self.count_to(values, rows)
        return UpdateFromAlphaFunc(owner or self, lambda _, alpha: step(alpha))

