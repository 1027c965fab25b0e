"""Slide 'scaled-dot-product': softmax(QKᵀ/√d_k)V term by term on the shared example's Q, K, V."""

from __future__ import annotations

from typing import Any

from explainer.script.params import ListOf, Record, Text
from explainer.script.slidespec import SlideSpec


def attention_numbers(example: Any) -> dict[str, Any]:
    """QKᵀ, ÷√d_k, row softmax (shown to two decimals, rows adding to 1) and ×V for the running
    example's first sentence; `output` is each word's Δx."""
    from explainer.script.example import sentence_numbers

    numbers = sentence_numbers(example, 0)
    return {**numbers, "output": numbers["delta"]}


def _floats(values: Any) -> list[float]:
    return [float(v) for v in values]


def facts(p: Any) -> dict[str, Any]:
    n = attention_numbers(p.example)
    at, tokens = n["word_at"], n["tokens"]
    found: dict[str, Any] = {"sentence": "".join(tokens), "d_k": n["d_k"], "sqrt_d_k": n["sqrt_d_k"]}
    for i in range(len(tokens)):   # row i: the weights (as shown) and output of token i
        found[f"weights_{i}"] = _floats(n["shown_weights"][i])
        found[f"output_{i}"] = _floats(n["output"][i])
    row = n["shown_weights"][at]
    others = [j for j in range(len(tokens)) if j != at]
    top = max(others, key=lambda j: row[j])   # the word's strongest other word
    found.update(word_top_token=tokens[top], word_top_weight=float(row[top]),
                 word_self_weight=float(row[at]), word_output=_floats(n["output"][at]))
    return found


def claims(example: Any, params: Any) -> list[str]:
    """No two words share a weight row or an output (context makes each word its own)."""
    from explainer.script.example import distinct_rows

    return distinct_rows(example)


SPEC = SlideSpec(
    # Numbers: the shared `example:` (Q, K, V of its first sentence, as qkv-projection made them).
    params={
        # Rows in formula order: QKᵀ, √d_k, softmax, ×V (symbol is LaTeX, the rest Chinese).
        "table": ListOf(Record({"symbol": Text(), "name": Text(), "plain": Text()}), min_len=4, max_len=4),
        # whole_sentence: the muted note on the grid (which attention this is: every word sees the
        # whole sentence); later: over the arcs to later words; same_delta: under the word's output
        # row, naming the slide that printed the same Δx.
        "labels": Record({"whole_sentence": Text(), "later": Text(), "same_delta": Text()}),
    },
    steps=("every-word", "whole-sentence", "formula", "scores", "scale", "softmax", "times-v", "summary"),
    facts=facts,
    uses_example=True,
    claims=claims,
)
