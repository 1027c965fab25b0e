"""A vector drawn as a row of signed bars (up for positive, down for negative components)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, ORIGIN, RIGHT, UP, Line, Rectangle, VGroup

from explainer.scenekit.components.text import tint

MIN_BAR_HEIGHT = 0.02  # a zero component still shows as a sliver on the baseline


class SignedBars(VGroup):
    """`SignedBars(values, unit=1.5)`: bar i is `values[i] * unit` tall, standing on one baseline.

    `bars` holds the bars in component order and `baseline` the thin axis line; `stacked_on(other)`
    gives bars that start where `other`'s bars end (to show a sum x + F(x) component by component).
    """

    def __init__(
        self,
        values: Sequence[float],
        unit: float = 1.5,
        bar_width: float = 0.1,
        pitch: float = 0.15,
        color: str | None = None,
        baseline_color: str | None = None,
        fill_opacity: float = 0.9,
        offsets: Sequence[float] | None = None,
        role: str | None = None,
    ) -> None:
        super().__init__()
        # Defaults are the theme's output and muted colours (they were those hex values).
        color = tint(color, role, default="output")
        baseline_color = tint(baseline_color, default="muted")
        self.values = np.asarray(values, dtype=float)
        self.offsets = np.zeros_like(self.values) if offsets is None else np.asarray(offsets, float)
        self.unit, self.bar_width, self.pitch = unit, bar_width, pitch
        self.color_name, self.fill_opacity_value = color, fill_opacity
        count = len(self.values)
        span = pitch * (count - 1)
        half = RIGHT * (span / 2 + bar_width)
        self.baseline = Line(ORIGIN - half, ORIGIN + half, color=baseline_color, stroke_width=1.5)
        self.bars = VGroup()
        for index, (value, offset) in enumerate(zip(self.values, self.offsets)):
            height = max(abs(value) * unit, MIN_BAR_HEIGHT)
            bar = Rectangle(width=bar_width, height=height, stroke_width=0,
                            fill_color=color, fill_opacity=fill_opacity)
            x = -span / 2 + index * pitch
            start = offset * unit
            # The bar grows from `start` in the direction of its sign.
            edge = DOWN if value >= 0 else UP
            bar.move_to(np.array([x, start, 0.0]), aligned_edge=edge)
            self.bars.add(bar)
        self.add(self.baseline, self.bars)

    def stacked_on(self, other: SignedBars, color: str | None = None) -> SignedBars:
        """These values as bars starting at the tips of `other`'s bars, placed like `other`."""
        stacked = SignedBars(
            self.values, self.unit, self.bar_width, self.pitch,
            color=color or self.color_name, fill_opacity=self.fill_opacity_value,
            offsets=other.offsets + other.values,
        )
        stacked.baseline.set_opacity(0)
        stacked.shift(other.baseline.get_center() - stacked.baseline.get_center())
        return stacked

