"""Slide 'qkv-flow': the example's word's query against every key, ÷√d_k, softmax, Σ w·v = Δx, x + Δx."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from explainer.script.params import Record, Text
from explainer.script.slidespec import SlideSpec


def flow_numbers(example: Any) -> dict[str, Any]:
    """The query word's row of the running example: q, keys, scores, ÷√d_k, e^s, weights, values,
    w·v, running sums, Δx = Σ w·v, the word's x and x + Δx."""
    import numpy as np

    from explainer.script.example import sentence_numbers

    n = sentence_numbers(example, 0)
    at = n["word_at"]
    weights = n["weights"][at]
    scaled_values = weights[:, None] * n["V"]
    return {
        "tokens": n["tokens"], "word_at": at, "d_k": n["d_k"], "sqrt_d_k": n["sqrt_d_k"],
        "query": n["Q"][at], "keys": n["K"], "values": n["V"],
        "scores": n["scores"][at], "scaled": n["scaled"][at], "exp": n["exp"][at],
        "exp_sum": float(n["exp"][at].sum()), "weights": weights, "shown_weights": n["shown_weights"][at],
        "weighted": scaled_values, "partial_sums": np.cumsum(scaled_values, axis=0),
        "delta": n["delta"][at], "x": n["X"][at], "updated": n["updated"][at],
    }


def dot_product_tex(query: Sequence[float], key: Sequence[float], index: int, score: float) -> str:
    """'q \\cdot k_2 = -1.20 \\times 0.15 + 0.30 \\times 0.75 = 0.05' for one key."""
    terms = " + ".join(f"({q:.2f}) \\times ({k:.2f})" if k < 0 or q < 0 else f"{q:.2f} \\times {k:.2f}"
                       for q, k in zip(query, key))
    return rf"q \cdot k_{{{index + 1}}} = {terms} = {score:.2f}"


def pair_tex(vector: Sequence[float]) -> str:
    r"""'(1.16,\ -0.04)': a 2-vector as MathTex prints it (two decimals, a thin space after the comma)."""
    return "(" + ",\\ ".join(f"{float(v):.2f}" for v in vector) + ")"


def _floats(values: Any) -> list[float]:
    return [float(v) for v in values]


def facts(p: Any) -> dict[str, Any]:
    # The shared example's word in its first sentence (as the scene shows it): weights and
    # top_weight as shown (two decimals adding to 1); output is Δx, updated is x + Δx.
    n = flow_numbers(p.example)
    tokens, scores, weights = n["tokens"], n["scores"], n["shown_weights"]
    top, low = int(scores.argmax()), int(scores.argmin())
    return {"sentence": "".join(tokens), "d_k": n["d_k"], "sqrt_d_k": n["sqrt_d_k"],
            "scores": _floats(scores), "weights": _floats(weights),
            "top_token": tokens[top], "top_score": float(scores[top]), "top_weight": float(weights[top]),
            "low_token": tokens[low], "low_score": float(scores[low]),
            "exp_sum": n["exp_sum"], "query": _floats(n["query"]), "x": _floats(n["x"]),
            "output": _floats(n["delta"]), "updated": _floats(n["updated"])}


def claims(example: Any, params: Any) -> list[str]:
    """One word clearly matters most to the example's word."""
    from explainer.script.example import clear_winner

    return clear_winner(example)


SPEC = SlideSpec(
    # Numbers: the shared `example:` (its word in its first sentence); params: the analogy's labels.
    params={"analogy": Record({"query": Text(), "key": Text(), "value": Text()})},
    steps=("query-and-keys", "dot-products", "scale", "softmax", "values", "weighted-sum", "add-to-x"),
    facts=facts,
    uses_example=True,
    claims=claims,
)
