"""Slide 'qkv-roles': the Query, Key and Value cards, each with its meaning and analogy."""

from __future__ import annotations

from explainer.script.params import ListOf, Record, Text
from explainer.script.slidespec import SlideSpec

SPEC = SlideSpec(
    params={
        "cards": ListOf(
            Record({"symbol": Text(), "name": Text(), "meaning": Text(), "analogy": Text()}),
            min_len=3,
            max_len=3,
        )
    },
    steps=lambda p, b: ["title", *(f"card-{c.symbol}" for c in p.cards), "together"],
)
