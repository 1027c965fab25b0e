"""Slide 'multi-head': the example's sentence through its heads, concatenated, then × W_O."""

from __future__ import annotations

from typing import Any

from explainer.script.params import Record, Text
from explainer.script.slidespec import SlideSpec, numbered


def _floats(values: Any) -> list[float]:
    return [float(v) for v in values]


def facts(p: Any) -> dict[str, Any]:
    from explainer.script.example import multi_head_numbers

    try:
        numbers = multi_head_numbers(p.example)
    except ValueError:      # matrices that do not fit the example: `check` reports it
        return {}
    at, tokens = numbers["word_at"], numbers["tokens"]
    found: dict[str, Any] = {"heads": len(p.example.heads), "concat_length": int(numbers["concat"].shape[1])}
    # head_i_top / head_i_weight: the word tracked looks most at this word, with this shown weight
    for i, shown in enumerate(numbers["shown_weights"]):
        top = int(numbers["weights"][i][at].argmax())
        found[f"head_{i}_top"] = tokens[top]
        found[f"head_{i}_weight"] = float(shown[at][top])
    found["output"] = _floats(numbers["output"][at])
    return found


def claims(example: Any, params: Any) -> list[str]:
    """No two heads look at the same words, and the word has one clearly largest weight in each."""
    from explainer.script.example import heads_differ

    return heads_differ(example, params)


SPEC = SlideSpec(
    params={
        # The heads and W_O are the example's (`example.heads`, `example.w_o`), shared with recap.
        # whole_sentence: the muted note under the grids (every word sees the whole sentence: no mask)
        "labels": Record({"concat": Text(), "output": Text(), "illustrative": Text(), "whole_sentence": Text()}),
    },
    steps=lambda p, b: ["embedding", *numbered("head", len(p.example.heads)), "concat"],
    facts=facts,
    uses_example=True,
    example_parts=("heads", "w_o"),
    claims=claims,
)
