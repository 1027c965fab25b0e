"""Slide 'next-word-title': a sentence typed out, then a blinking gap where the next word will go."""

from __future__ import annotations

import math
from typing import Any

from explainer.script.params import Text
from explainer.script.slidespec import SlideSpec


def candidate_offsets(count: int, radius: float = 1.5) -> list[Any]:
    """Where the teased candidates hover: spread on an arc above the gap."""
    import numpy as np

    angles = np.linspace(math.pi * 0.72, math.pi * 0.28, count) if count > 1 else [math.pi / 2]
    return [radius * np.array([np.cos(a), np.sin(a), 0.0]) for a in angles]


SPEC = SlideSpec(
    params={"sentence": Text()},
    steps=("title", "typing", "gap", "candidates"),
)
