"""Slide 'qkv-projection': X times W_Q, W_K, W_V gives Q, K, V; one embedding, three views (it comes
before qkv-flow, which compares the word's q made here with every k)."""

from __future__ import annotations

from typing import Any

from explainer.script.params import ListOf, Text
from explainer.script.slidespec import SlideSpec


def projection_numbers(example: Any) -> dict[str, Any]:
    """The running example's first sentence: X (tokens × d_model), W_Q, W_K, W_V and Q, K, V = X W."""
    from explainer.script.example import sentence_numbers

    return sentence_numbers(example, 0)


def facts(p: Any) -> dict[str, Any]:
    # d_model: the length of each embedding (X's columns); d_k: the length of each q and k;
    # word_q: the example's word's q (its row of Q), the q qkv-flow then compares with every k
    n = projection_numbers(p.example)
    return {"sentence": "".join(n["tokens"]), "d_model": int(n["X"].shape[1]), "d_k": n["d_k"],
            "word_q": [float(v) for v in n["Q"][n["word_at"]]]}


def claims(example: Any, params: Any) -> list[str]:
    """The word's q, k and v point in different directions (one embedding, three views)."""
    from explainer.script.example import three_views

    return three_views(example)


SPEC = SlideSpec(
    # Numbers: the shared `example:` (X of its first sentence, W_Q, W_K, W_V).
    params={"views": ListOf(Text(), min_len=3, max_len=3)},   # what Q, K, V each extract
    steps=("embeddings", "projections", "three-views"),
    facts=facts,
    uses_example=True,
    claims=claims,
)
