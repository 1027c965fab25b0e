"""Slide 'brain-resources': attention as a limited resource — kinds, slots, serial focus, N-back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explainer.script.params import Flag, ListOf, Number, Record, Text
from explainer.script.slidespec import SlideSpec, numbered


def nback_bars(n: list[int], accuracy: list[float]) -> list[tuple[str, float, str]]:
    """One bar per N: its axis label, its height (the accuracy) and its value label."""
    from explainer.maths import percent

    return [(f"N={k}", float(a), percent(float(a), 0)) for k, a in zip(n, accuracy)]


def nback_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if len(params["nback"]["n"]) != len(params["nback"]["accuracy"]):
        yield "nback", "params.nback: n and accuracy must have the same length"


SPEC = SlideSpec(
    params={
        "kinds": ListOf(Record({"name": Text(), "detail": Text()}), min_len=1, max_len=6),
        "capacity": Number(minimum=1, maximum=9, integer=True),
        "nback": Record(
            {
                "n": ListOf(Number(minimum=1, maximum=9, integer=True), min_len=2, max_len=6),
                "accuracy": ListOf(Number(minimum=0, maximum=1), min_len=2, max_len=6),
                "illustrative": Flag(),
            }
        ),
        "labels": Record(
            {
                "kinds": Text(),
                "capacity": Text(),
                "overflow": Text(),
                "serial": Text(),
                "nback": Text(),
                "accuracy": Text(),
                "illustrative": Text(),
                "hypothesis": Text(),
                "brain": Text(),       # {n}: the capacity
                "machine": Text(),
                "conclusion": Text(),
            }
        ),
    },
    rules=(nback_consistent,),
    # One step per kind of attention: each card comes as its name is said.
    steps=lambda p, b: ["definition", "resources", *numbered("kind", len(p.kinds)), "capacity", "serial", "nback",
                        "hypothesis", "conclusion"],
)
