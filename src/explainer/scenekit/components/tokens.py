"""A row (or column) of token boxes with Chinese labels, indexable and highlightable."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    ManimColor,
    Mobject,
    RoundedRectangle,
    Text,
    UpdateFromAlphaFunc,
    VGroup,
    interpolate_color,
)
from manim.animation.animation import Animation

from explainer.scenekit.components.text import cjk, tint


class TokenBox(VGroup):
    """One token: a rounded box (`.box`) with its CJK label (`.label`); `.tint` is its role colour.

    (Not `.color`: on a VMobject that property recolours the whole family.)
    """

    def __init__(self, token: str, size: str | float = "body", color: str | None = None,
                 min_width: float = 0.8, height: float = 0.7, padding: float = 0.25,
                 fill_opacity: float = 0.15, role: str | None = None) -> None:
        super().__init__()
        self.token = token
        self.tint = tint(color, role, default="muted")
        self.label: Text = cjk(token, size)
        width = max(min_width, self.label.width + 2 * padding)
        self.box = RoundedRectangle(width=width, height=height, corner_radius=0.12,
                                    stroke_color=self.tint, stroke_width=3,
                                    fill_color=self.tint, fill_opacity=fill_opacity)
        self.label.move_to(self.box)
        self.add(self.box, self.label)

    def colored(self, color: str, fill_opacity: float = 0.3) -> TokenBox:
        """Set the box's stroke and fill to `color` now (the label keeps the text colour)."""
        self.tint = color
        self.box.set_stroke(color=color).set_fill(color=color, opacity=fill_opacity)
        return self


class TokenRow(VGroup):
    """`TokenRow(["我", "喜歡", "吃", "蘋果"])`: token boxes side by side (or stacked with direction=DOWN).

    `row[i]` is the i-th `TokenBox` (with `.box` and `.label`); `row.index_of("蘋果")` finds one;
    `row.highlight(i, color)` returns an animation colouring token i (others optionally dimmed);
    `row.color_token(i, color)` does it at once; `row.reset()` returns an animation back to plain.
    """

    def __init__(self, tokens: Sequence[str], size: str | float = "body", direction: np.ndarray = RIGHT,
                 buff: float = 0.2, color: str | None = None, min_width: float = 0.8,
                 height: float = 0.7, fill_opacity: float = 0.15, role: str | None = None) -> None:
        super().__init__()
        self.tokens = [str(t) for t in tokens]
        self.base_color = tint(color, role, default="muted")
        self.base_fill = fill_opacity
        boxes = [TokenBox(t, size, self.base_color, min_width, height, fill_opacity=fill_opacity)
                 for t in self.tokens]
        if direction is DOWN or np.allclose(direction, DOWN):
            # A column: equal widths read better when stacked.
            widest = max(b.box.width for b in boxes)
            for b in boxes:
                b.box.stretch_to_fit_width(widest)
                b.label.move_to(b.box)
        self.add(*boxes)
        self.arrange(direction, buff=buff)

    def __getitem__(self, index: int) -> TokenBox:  # type: ignore[override]
        return self.submobjects[index]  # type: ignore[return-value]

    def index_of(self, token: str) -> int:
        """Index of the last occurrence of `token` (the word a sentence ends on is usually the query)."""
        positions = [i for i, t in enumerate(self.tokens) if t == token]
        if not positions:
            raise KeyError(f"token '{token}' is not in the row ({' '.join(self.tokens)})")
        return positions[-1]

    def color_token(self, index: int, color: str | None = None, fill_opacity: float = 0.3,
                    role: str | None = None) -> TokenRow:
        """Colour token `index` now (with `color` or the theme's `role`)."""
        self[index].colored(tint(color, role, default="highlight"), fill_opacity)
        return self

    def highlight(self, index: int, color: str | None = None, dim_others: bool = False,
                  fill_opacity: float = 0.3, role: str | None = None) -> Animation:
        """Animate token `index` into `color` or `role` (highlight by default); optionally dim the rest."""
        target = ManimColor(tint(color, role, default="highlight"))
        box = self[index].box
        start_color, start_fill = ManimColor(box.get_stroke_color()), float(box.get_fill_opacity())
        others = [(t, float(t.box.get_fill_opacity())) for i, t in enumerate(self) if i != index] \
            if dim_others else []
        self[index].tint = target.to_hex()

        def update(_: Mobject, alpha: float) -> None:
            tint = interpolate_color(start_color, target, alpha)
            box.set_stroke(color=tint).set_fill(color=tint, opacity=start_fill + (fill_opacity - start_fill) * alpha)
            for token, fill in others:
                opacity = 1 - 0.65 * alpha
                token.label.set_opacity(opacity)
                token.box.set_stroke(opacity=opacity).set_fill(opacity=fill * (1 - 0.65 * alpha))

        # One animation on the row itself: Manim then keeps the drawing order (labels over boxes).
        return UpdateFromAlphaFunc(self, update)

    def reset(self) -> Animation:
        """Animate every token back to its plain look (colour, fill, full opacity)."""
        starts = [(ManimColor(t.box.get_stroke_color()), float(t.box.get_fill_opacity()),
                   float(t.label.get_fill_opacity())) for t in self]
        base = ManimColor(self.base_color)

        def update(_: Mobject, alpha: float) -> None:
            for token, (color, fill, label_opacity) in zip(self, starts):
                tint = interpolate_color(color, base, alpha)
                token.box.set_stroke(color=tint, opacity=1)
                token.box.set_fill(color=tint, opacity=fill + (self.base_fill - fill) * alpha)
                token.label.set_opacity(label_opacity + (1 - label_opacity) * alpha)
            for token in self:
                token.tint = self.base_color

        return UpdateFromAlphaFunc(self, update)
