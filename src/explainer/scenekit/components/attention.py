"""Attention drawn two ways: weighted lines from one token to others, and a grid of scores or weights."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    ArcBetweenPoints,
    Line,
    ManimColor,
    Mobject,
    SurroundingRectangle,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    interpolate_color,
)
from manim.animation.animation import Animation
from numpy.typing import ArrayLike

from explainer.scenekit.components.grid import NUMBER_SIZE, NumberGrid
from explainer.scenekit.components.text import cjk, tint


class AttentionLines(VGroup):
    """Lines from one `source` mobject to each of `targets`, stroke width and opacity encoding weights.

    `AttentionLines(row[3], [row[0], row[1], row[2]], [0.1, 0.7, 0.2], color=theme.query)`.
    Weights are read on an absolute 0..1 scale (attention weights); `arc_angle` bends the lines
    (useful when source and targets sit in one row: a positive angle arcs over the boxes from their tops,
    a negative one under them from their bottoms). `source_edge` / `target_edge` (e.g. RIGHT / LEFT)
    pick where straight lines leave the source and reach each target; `from_edge` sets both.
    `lines[j]` is the line to target j; `animate_weights(new)` returns an animation to new weights;
    `set_weights(new)` applies them at once. `.tint` is the line colour.
    """

    def __init__(self, source: Mobject, targets: Sequence[Mobject], weights: ArrayLike,
                 color: str | None = None, max_width: float = 14.0, min_width: float = 1.0,
                 min_opacity: float = 0.15, arc_angle: float = 0.0, from_edge: np.ndarray | None = None,
                 source_edge: np.ndarray | None = None, target_edge: np.ndarray | None = None,
                 role: str | None = None) -> None:
        super().__init__()
        self.tint = tint(color, role, default="query")
        self.max_width, self.min_width, self.min_opacity = max_width, min_width, min_opacity
        self.weights = np.asarray(weights, dtype=float)
        if len(self.weights) != len(targets):
            raise ValueError(f"{len(targets)} targets but {len(self.weights)} weights")
        edge = from_edge if from_edge is not None else (
            (UP if arc_angle > 0 else DOWN) if arc_angle else None)
        self.lines: list[VMobject] = []
        for target in targets:
            start_edge = source_edge if source_edge is not None else edge
            end_edge = target_edge if target_edge is not None else edge
            start = source.get_edge_center(start_edge) if start_edge is not None else source.get_center()
            end = target.get_edge_center(end_edge) if end_edge is not None else target.get_center()
            if arc_angle:
                # Positive arc_angle bulges upward whichever way the line runs; negative, downward.
                sign = 1.0 if start[0] > end[0] else -1.0
                line: VMobject = ArcBetweenPoints(start, end, angle=sign * arc_angle)
            else:
                line = Line(start, end, buff=0.0 if start_edge is not None else 0.1)
            self.lines.append(line)
        self.add(*self.lines)
        self.set_weights(self.weights)

    def style_for(self, weight: float) -> tuple[float, float]:
        """(stroke width, opacity) drawn for one weight."""
        w = float(np.clip(weight, 0.0, 1.0))
        return self.min_width + (self.max_width - self.min_width) * w, self.min_opacity + (1 - self.min_opacity) * w

    def set_weights(self, weights: ArrayLike) -> AttentionLines:
        """Restyle every line for `weights` now."""
        self.weights = np.asarray(weights, dtype=float)
        for line, weight in zip(self.lines, self.weights):
            width, opacity = self.style_for(weight)
            line.set_stroke(color=self.tint, width=width, opacity=opacity)
        return self

    def animate_weights(self, weights: ArrayLike) -> Animation:
        """An animation restyling the lines from their current weights to `weights`."""
        start, end = self.weights.copy(), np.asarray(weights, dtype=float)
        self.weights = end

        def update(_: Mobject, alpha: float) -> None:
            for line, a, b in zip(self.lines, start, end):
                width, opacity = self.style_for(a + (b - a) * alpha)
                line.set_stroke(color=self.tint, width=width, opacity=opacity)

        return UpdateFromAlphaFunc(self, update)


def _label(label: str | Mobject, size: str | float, color: str | None) -> Mobject:
    if isinstance(label, Mobject):
        return label
    return cjk(label, size, color)


class AttentionGrid(NumberGrid):
    """An n×m NumberGrid of square cells shaded by value, with optional row and column labels.

    `AttentionGrid(scores, row_labels=tokens, col_labels=tokens, role="attention")`: everything a
    NumberGrid has (`cell(i, j)`, `number(i, j)`, `row(i)`, `column(j)`, `.cells`, `.numbers`);
    `animate_values(new)` turns every number and shade to new values (e.g. scores → weights);
    `row_box(i)` is a rectangle around row i (to point at a softmax row). Shading maps the values'
    range (or `shade_range`) to fill opacity 0.08..0.6, in `.tint` (default output blue). Labels
    may be strings (CJK, at `label_size`: a theme size name or a number) or mobjects.
    """

    def __init__(self, values: ArrayLike, row_labels: Sequence[str | Mobject] | None = None,
                 col_labels: Sequence[str | Mobject] | None = None, cell_size: float = 0.95,
                 decimals: int = 2, font_size: str | float = NUMBER_SIZE, color: str | None = None,
                 row_label_color: str | None = None, col_label_color: str | None = None,
                 label_size: str | float = "label", shade_range: tuple[float, float] | None = None,
                 role: str | None = None, row_label_role: str | None = None,
                 col_label_role: str | None = None) -> None:
        super().__init__(values, decimals=decimals, font_size=font_size, cell_width=cell_size,
                         cell_height=cell_size)
        self.tint = tint(color, role, default="output")
        row_label_color = tint(row_label_color, row_label_role) if row_label_role else row_label_color
        col_label_color = tint(col_label_color, col_label_role) if col_label_role else col_label_color
        self.shade_range = shade_range
        self._shade(self.values)
        self.row_labels = VGroup(*(_label(text, label_size, row_label_color) for text in (row_labels or [])))
        for i, label in enumerate(self.row_labels):
            label.next_to(self.cell(i, 0), LEFT, buff=0.2)
        self.col_labels = VGroup(*(_label(text, label_size, col_label_color) for text in (col_labels or [])))
        for j, label in enumerate(self.col_labels):
            label.next_to(self.cell(0, j), UP, buff=0.2)
        self.add(self.row_labels, self.col_labels)

    def row_box(self, i: int, color: str | None = None, role: str | None = None) -> SurroundingRectangle:
        """A rectangle around row i's cells."""
        return SurroundingRectangle(VGroup(*(self.cell(i, j) for j in range(self.shape[1]))),
                                    color=tint(color, role, default="highlight"), buff=0.05)

    def opacities(self, values: ArrayLike) -> np.ndarray:
        """Fill opacity of each cell for `values` (range mapped to 0.08..0.6, so white numbers stay legible)."""
        v = np.atleast_2d(np.asarray(values, dtype=float))
        lo, hi = self.shade_range if self.shade_range else (float(v.min()), float(v.max()))
        span = hi - lo if hi > lo else 1.0
        return 0.08 + 0.52 * np.clip((v - lo) / span, 0.0, 1.0)

    def _shade(self, values: np.ndarray) -> None:
        for (i, j), opacity in np.ndenumerate(self.opacities(values)):
            self.cell(i, j).set_fill(self.tint, opacity=float(opacity))

    def set_values(self, values: ArrayLike) -> AttentionGrid:
        """Show `values` now (numbers and shading)."""
        super().set_values(values)
        self._shade(self.values)
        return self

    def animate_values(self, values: ArrayLike, rows: Sequence[int] | None = None,  # type: ignore[override]
                       color: str | None = None, role: str | None = None) -> Animation:
        """Animate numbers and shading to `values` (only `rows` if given); `color` re-tints the fill."""
        color = tint(color, role) if role else color
        start_opacity = self.opacities(self.values)
        counting = self.count_to(values, rows)
        end_opacity = self.opacities(self.values)
        end_color = ManimColor(color or self.tint)
        self.tint = color or self.tint
        chosen = list(range(self.shape[0]) if rows is None else rows)
        cells = [(i, j) for i in chosen for j in range(self.shape[1])]
        start_colors = {cell: ManimColor(self.cell(*cell).get_fill_color()) for cell in cells}

        def update(_: Mobject, alpha: float) -> None:
            counting(alpha)
            for i, j in cells:
                opacity = start_opacity[i, j] + (end_opacity[i, j] - start_opacity[i, j]) * alpha
                tint = interpolate_color(start_colors[i, j], end_color, alpha)
                self.cell(i, j).set_fill(tint, opacity=float(opacity))

        return UpdateFromAlphaFunc(self, update)
