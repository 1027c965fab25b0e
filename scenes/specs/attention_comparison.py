"""Slide 'attention-comparison': human vs Transformer attention, one facet (table row) at a time."""

from __future__ import annotations

from typing import Any

from explainer.script.params import ListOf, Record, Text
from explainer.script.slidespec import SlideSpec, numbered


def facet_rows(facets: list[Any]) -> list[tuple[str, str, str]]:
    """The table's rows as (numbered facet name, human cell, machine cell)."""
    return [(f"{i + 1}. {f.name}", f.human, f.machine) for i, f in enumerate(facets)]


SPEC = SlideSpec(
    params={
        "human": Text(),
        "machine": Text(),
        "facets": ListOf(Record({"name": Text(), "human": Text(), "machine": Text()}), min_len=1, max_len=4),
    },
    steps=lambda p, b: ["columns", *numbered("facet", len(p.facets)), "summary"],
)
