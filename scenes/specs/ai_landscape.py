"""Slide 'ai-landscape': ML ⊃ DL ⊃ Transformer, GenAI overlapping Transformer, today's models in the overlap."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from explainer.script.params import ListOf, Text
from explainer.script.slidespec import SlideSpec

MODEL_GAP = 0.2          # between the stacked model names in the overlap


@dataclass(frozen=True)
class Region:
    """An axis-aligned ellipse: the shape of one field in the diagram."""

    center: tuple[float, float]
    width: float
    height: float

    def half_width_at(self, y: float) -> float:
        """Half the ellipse's width at height y (0 outside it)."""
        dy = (y - self.center[1]) / (self.height / 2)
        return float(self.width / 2 * math.sqrt(max(0.0, 1.0 - dy * dy)))

    def contains(self, point: Sequence[float]) -> bool:
        dx = (point[0] - self.center[0]) / (self.width / 2)
        dy = (point[1] - self.center[1]) / (self.height / 2)
        return bool(dx * dx + dy * dy < 1.0)


# The nested fields, then GenAI overlapping Transformer inside DL (diagram on the left of the frame).
ML = Region((-2.3, -0.55), 9.0, 5.7)
DL = Region((-2.1, -0.85), 7.4, 4.4)
TRANSFORMER = Region((-3.1, -1.2), 4.2, 2.9)
GENAI = Region((-0.8, -1.2), 4.2, 2.9)


def overlap_span(a: Region, b: Region, y: float) -> tuple[float, float]:
    """The x-range covered by both side-by-side regions at height y (a on the left of b)."""
    return b.center[0] - b.half_width_at(y), a.center[0] + a.half_width_at(y)


def overlap_slots(count: int, item_height: float, a: Region = TRANSFORMER,
                  b: Region = GENAI) -> list[tuple[Any, float]]:
    """Centres and usable widths for `count` stacked labels inside the lens where a and b overlap."""
    import numpy as np

    pitch = item_height + MODEL_GAP
    y_mid = a.center[1]
    slots = []
    for index in range(count):
        y = y_mid + (count - 1) / 2 * pitch - index * pitch
        # The narrowest row of the label decides how wide it may be.
        edges = [overlap_span(a, b, y + dy) for dy in (-item_height / 2, item_height / 2)]
        left, right = max(e[0] for e in edges), min(e[1] for e in edges)
        slots.append((np.array([(left + right) / 2, y, 0.0]), right - left))
    return slots


SPEC = SlideSpec(
    params={
        "ml": Text(),
        "dl": Text(),
        "transformer": Text(),
        "genai": Text(),
        "models": ListOf(Text(), min_len=1, max_len=5),
    },
    steps=("ml", "dl", "transformer", "genai", "models"),
)
