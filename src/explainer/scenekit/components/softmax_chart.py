"""Logits to a probability chart: softmax at a temperature, bars whose printed numbers add up to 1."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import ValueTracker
from numpy.typing import ArrayLike

from explainer.maths import rounded_shares, softmax
from explainer.scenekit.components.bars import ProbabilityBars, decimals_for

# One stage of a logits → probabilities row (z, e^z or z / T, P): narrow bars, so three charts
# and the two arrows between them fit across the frame.
STAGE_HEIGHT = 1.9
STAGE_BAR_WIDTH = 0.55
STAGE_GAP = 0.42


class SoftmaxBars(ProbabilityBars):
    """`SoftmaxBars(words, logits, temperature=1.0)`: the bars of softmax(logits / T), in the
    probability role.

    Bars are as tall as the exact probabilities; the numbers over them are rounded to `decimals`
    so that they add up to exactly 1 as printed (maths.rounded_shares), since slides say they do.
    `probabilities(T)` is softmax at T; `follow_temperature(tracker)` reshapes the bars every frame
    as the tracker (the temperature) moves. Other keywords are ProbabilityBars' (sizes, max_value).
    """

    def __init__(self, words: Sequence[str], logits: ArrayLike, temperature: float = 1.0, *,
                 decimals: int = 2, **options: object) -> None:
        logits = np.asarray(logits, dtype=float)
        super().__init__(words, softmax(logits, temperature), decimals=decimals, role="probability",
                         **options)  # type: ignore[arg-type]
        self.logits = logits

    def probabilities(self, temperature: float) -> np.ndarray:
        """softmax(logits / T), exact (what the bar heights show)."""
        return softmax(self.logits, temperature)

    def printed(self, values: np.ndarray) -> np.ndarray:
        """The numbers printed: rounded so they add up as shown (while the bars grow from 0, to
        the rounded share of the total so far)."""
        return rounded_shares(values, self.decimals)

    def follow_temperature(self, tracker: ValueTracker) -> SoftmaxBars:
        """Recompute the bars every frame at the tracker's temperature."""
        self.follow(tracker, self.probabilities)
        return self


def stage_bars(words: Sequence[str], values: ArrayLike, role: str, *, decimals: int | None = None,
               max_value: float | None = None, **options: object) -> ProbabilityBars:
    """One stage of a logits → probabilities row (logits, e^z, z / T): narrow bars in `role`, the
    numbers to `decimals` places (default: as the values are written, e.g. 2.0 → 1 place)."""
    places = decimals_for(values) if decimals is None else decimals
    return ProbabilityBars(words, values, max_value=max_value, max_height=STAGE_HEIGHT,
                           bar_width=STAGE_BAR_WIDTH, gap=STAGE_GAP, role=role, decimals=places,
                           **options)  # type: ignore[arg-type]


def softmax_stage_bars(words: Sequence[str], logits: ArrayLike, temperature: float = 1.0,
                       **options: object) -> SoftmaxBars:
    """The last stage of that row: SoftmaxBars at the stages' size, on the fixed 0..1 scale."""
    return SoftmaxBars(words, logits, temperature, max_value=1.0, max_height=STAGE_HEIGHT,
                       bar_width=STAGE_BAR_WIDTH, gap=STAGE_GAP, **options)
