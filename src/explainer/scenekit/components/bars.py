"""Probability bars: one vertical bar per word, heights tied to values, live numbers, tracker-driven."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    UP,
    Animation,
    DecimalNumber,
    Line,
    ManimColor,
    Rectangle,
    Text,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    interpolate_color,
)
from numpy.typing import ArrayLike

from explainer.scenekit.components.grid import NUMBER_SIZE
from explainer.scenekit.components.text import cjk, current_theme, font_size, tint

LABEL_BUFF = 0.1      # gap between a bar's top and its number
WORD_BUFF = 0.15      # gap between the baseline (or the lowest negative bar) and the words


def decimals_for(values: ArrayLike, most: int = 2) -> int:
    """How many decimals show `values` as written (2.0 → 1, 2.25 → 2), at most `most`."""
    for places in range(1, most):
        if np.allclose(np.round(np.asarray(values, dtype=float), places), values):
            return places
    return most


class _Redraw(UpdateFromAlphaFunc):
    """UpdateFromAlphaFunc without the starting copy: the chart redraws itself from numbers, and a
    copy of every glyph is the costliest part of an animation."""

    def create_starting_mobject(self) -> ProbabilityBars:  # type: ignore[override]
        return self.mobject  # type: ignore[return-value]


class ProbabilityBars(VGroup):
    """A row of bars, one per word: the word under each bar, a live `DecimalNumber` above it.

    Heights are `value * unit` (so proportional to the values); negative values (logits) grow
    down from the baseline and keep their number just above it. `animate_to(values)` reshapes
    the chart; `follow(tracker, values_of)` recomputes the values every frame from a
    ValueTracker (e.g. softmax at temperature T) through an updater. `highlight(i)` recolours
    one bar and its word (the chosen one).
    """

    def __init__(
        self,
        words: Sequence[str],
        values: ArrayLike,
        *,
        max_height: float = 3.0,
        max_value: float | None = None,
        min_value: float | None = None,
        bar_width: float = 0.7,
        gap: float = 0.45,
        color: str | None = None,
        decimals: int = 2,
        value_size: str | float = NUMBER_SIZE,
        word_size: str | float = "label",
        baseline_color: str | None = None,
        role: str | None = None,
    ) -> None:
        super().__init__()
        theme = current_theme()
        start = np.asarray(values, dtype=float)
        if len(words) != len(start):
            raise ValueError(f"{len(words)} words but {len(start)} values: give one value per word")
        self.words = [str(w) for w in words]
        self.color = ManimColor(tint(color, role, default="probability"))
        self.decimals = decimals
        if max_value is None:
            # Probabilities keep a fixed 0..1 scale so charts can be compared; other data fits.
            top = float(np.max(np.abs(start))) if len(start) else 1.0
            max_value = 1.0 if np.all((start >= 0) & (start <= 1)) else max(top, 1e-9)
        low = min(0.0, float(np.min(start))) if min_value is None else min(0.0, min_value)
        self.unit = max_height / max_value
        self._bar_width = bar_width
        self._below = -low * self.unit  # room kept under the baseline for negative bars
        width = len(self.words) * bar_width + (len(self.words) - 1) * gap
        self.baseline = Line([-width / 2 - 0.2, 0, 0], [width / 2 + 0.2, 0, 0],
                             color=baseline_color or theme.palette["muted"], stroke_width=3)
        self._baseline_width = self.baseline.width
        self.bars = VGroup()
        self.value_labels = VGroup()
        self.word_labels = VGroup()
        for index, word in enumerate(self.words):
            x = -width / 2 + bar_width / 2 + index * (bar_width + gap)
            bar = Rectangle(width=bar_width, height=1.0, fill_color=self.color, fill_opacity=1.0,
                            stroke_width=0).move_to([x, 0.5, 0])
            self.bars.add(bar)
            self.value_labels.add(DecimalNumber(0, num_decimal_places=decimals, font_size=font_size(value_size),
                                                color=theme.palette["text"]))
            label = cjk(word, word_size)
            label.next_to([x, -self._below, 0], DOWN, buff=WORD_BUFF)
            self.word_labels.add(label)
        # Words share one top line, so a row of them reads as a sentence of candidates.
        top_line = max(w.get_top()[1] for w in self.word_labels)
        for label in self.word_labels:
            label.align_to([0, top_line, 0], UP)
        self.add(self.baseline, self.bars, self.value_labels, self.word_labels)
        self._values = start.copy()
        self._follower: Callable | None = None
        self.set_values(start)

    # -- values -----------------------------------------------------------------------------
    @property
    def values(self) -> np.ndarray:
        """The values the bars show now."""
        return self._values.copy()

    @property
    def shown_values(self) -> np.ndarray:
        """The numbers printed over the bars now."""
        return np.array([float(label.get_value()) for label in self.value_labels])

    def printed(self, values: np.ndarray) -> np.ndarray:
        """The numbers printed for bars of `values`: the values themselves (SoftmaxBars rounds them
        so they add up as shown)."""
        return values

    def height_of(self, value: float) -> float:
        """The drawn height (signed) of a bar for `value`, at the chart's current scale."""
        return value * self.unit * self._scale()

    def _scale(self) -> float:
        # The chart may have been scaled as a whole; the baseline remembers by how much.
        return self.baseline.width / self._baseline_width

    def set_values(self, values: ArrayLike) -> ProbabilityBars:
        """Reshape the bars and update the numbers to `values` at once (used by updaters)."""
        new = np.asarray(values, dtype=float)
        if new.shape != (len(self.words),):
            raise ValueError(f"expected {len(self.words)} values, got shape {new.shape}")
        scale = self._scale()
        y0 = self.baseline.get_y()
        half = self._bar_width * scale / 2
        for bar, label, value, printed in zip(self.bars, self.value_labels, new, self.printed(new)):
            x = bar.get_x()
            height = self.height_of(float(value))
            top, bottom = (y0 + height, y0) if height >= 0 else (y0, y0 + height)
            bar.set_points_as_corners([[x - half, top, 0], [x + half, top, 0], [x + half, bottom, 0],
                                       [x - half, bottom, 0], [x - half, top, 0]])
            label.set_value(float(printed))
            label.next_to([x, top, 0], UP, buff=LABEL_BUFF * scale)
        self._values = new.copy()
        return self

    def animate_to(self, values: ArrayLike, start: ArrayLike | None = None, **kwargs: object) -> Animation:
        """Animate the bars and numbers to `values` (from `start`, default the current values)."""
        begin = self.values if start is None else np.asarray(start, dtype=float)
        end = np.asarray(values, dtype=float)

        def reshape(chart: ProbabilityBars, alpha: float) -> None:
            chart.set_values(begin + alpha * (end - begin))

        return _Redraw(self, reshape, **kwargs)  # type: ignore[arg-type]

    def grow(self, **kwargs: object) -> Animation:
        """The bars rising from zero to their current values."""
        return self.animate_to(self.values, start=np.zeros(len(self.words)), **kwargs)

    def follow(self, tracker: ValueTracker, values_of: Callable[[float], ArrayLike]) -> ProbabilityBars:
        """Recompute the values every frame as `values_of(tracker.get_value())` (e.g. softmax at T)."""
        self.stop_following()

        def follower(chart: ProbabilityBars) -> None:
            chart.set_values(values_of(tracker.get_value()))

        self._follower = follower
        self.add_updater(follower, call_updater=True)
        return self

    def stop_following(self) -> ProbabilityBars:
        """Freeze the bars at their current values."""
        if self._follower is not None:
            self.remove_updater(self._follower)
            self._follower = None
        return self

    # -- emphasis ---------------------------------------------------------------------------
    def highlight(self, index: int | None, color: str | None = None, role: str | None = None,
                  **kwargs: object) -> Animation:
        """Recolour bar `index` and its word (None: back to the plain colour); other bars stay plain.

        Only colours change, so a chart that follows a tracker keeps reshaping meanwhile.
        """
        target = ManimColor(tint(color, role, default="highlight"))
        text = ManimColor(current_theme().palette["text"])
        bar_from = [ManimColor(b.get_fill_color()) for b in self.bars]
        word_from = [ManimColor(w.get_color()) for w in self.word_labels]
        bar_to = [target if i == index else self.color for i in range(len(self.bars))]
        word_to = [target if i == index else text for i in range(len(self.bars))]

        def paint(chart: ProbabilityBars, alpha: float) -> None:
            for i, (bar, word) in enumerate(zip(chart.bars, chart.word_labels)):
                bar.set_fill(interpolate_color(bar_from[i], bar_to[i], alpha), opacity=1.0)
                word.set_color(interpolate_color(word_from[i], word_to[i], alpha))

        kwargs.setdefault("suspend_mobject_updating", False)
        return _Redraw(self, paint, **kwargs)  # type: ignore[arg-type]

    def word(self, index: int) -> Text:
        """The word label under bar `index`."""
        return self.word_labels[index]
