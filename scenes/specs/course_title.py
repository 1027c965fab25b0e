"""Slide 'course-title': the lecture's opening card (a motif of tokens attending), roadmap, chapter 1's card."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explainer.script.params import ListOf, Number, Record, Text
from explainer.script.slidespec import SlideSpec, numbered


def motif_weights(scores: list[float]) -> Any:
    """The opening motif's attention weights: softmax of the query token's scores (they sum to 1)."""
    from explainer.maths import softmax

    return softmax(scores)


def motif_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    motif = params["motif"]
    if len(motif["tokens"]) != len(motif["scores"]):
        yield "motif", "params.motif: tokens and scores must have the same length (one score per token)"
    if motif["query"] not in motif["tokens"]:
        yield "motif", f"params.motif.query '{motif['query']}' must be one of params.motif.tokens"


# The lecture's opening card; on a chapter's first slide its `chapter` step is that card.
SPEC = SlideSpec(
    params={
        "subtitle": Text(),
        "motif": Record({
            "tokens": ListOf(Text(), min_len=2, max_len=6),
            "query": Text(),
            "scores": ListOf(Number(minimum=-10, maximum=10), min_len=2, max_len=6),
        }),
    },
    rules=(motif_consistent,),
    # The roadmap: one step per line (one line per chapter), each shown as it is named.
    steps=lambda p, b: [*numbered("part", len(b)), "begin"],
)
