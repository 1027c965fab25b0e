"""Slide 'qkv-analogy': a web search as Q (the typed query), K (result titles) and V (page contents)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from explainer.script.params import ListOf, Number, Record, Text
from explainer.script.slidespec import SlideSpec


def relevance_weights(scores: list[float]) -> Any:
    """How much of each page is read: softmax of the query-title match scores (adds to 1)."""
    from explainer.maths import softmax

    return softmax(scores, 1.0)


def shown_weights(scores: list[float]) -> Any:
    """The weights as printed, two decimals that still add to exactly 1.00."""
    from explainer.maths import rounded_shares

    return rounded_shares(relevance_weights(scores), 2)


def segment_spans(weights: list[float], left: float, width: float) -> list[tuple[float, float]]:
    """(start, end) x of each page's share of the mixed answer: widths proportional to the weights."""
    import numpy as np

    edges = left + width * np.concatenate([[0.0], np.cumsum(weights)]) / float(np.sum(weights))
    return [(float(a), float(b)) for a, b in pairwise(edges)]


def facts(p: Any) -> dict[str, Any]:
    # weights: how much of each page is read, softmax of the scores, as printed (two decimals, sum 1)
    return {"weights": [float(w) for w in shown_weights([float(r.score) for r in p.results])]}


SPEC = SlideSpec(
    params={
        "query": Text(),
        "roles": Record({"query": Text(), "key": Text(), "value": Text()}),
        # score: how well the query matches the title; the weights shown are softmax(scores)
        "results": ListOf(
            Record({"title": Text(), "content": Text(), "score": Number(minimum=-10, maximum=10)}),
            min_len=2,
            max_len=3,
        ),
        "labels": Record({"score": Text(), "weight": Text(), "total": Text(), "mix": Text()}),
    },
    steps=("title", "query", "keys", "compare", "weights", "values", "mix", "bullet"),
    facts=facts,
)
