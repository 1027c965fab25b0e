"""Slide 'apple-in-context': the example's word pulled two ways by its context (x + Δx per sentence)."""

from __future__ import annotations

from typing import Any

from explainer.script.params import ListOf, Text
from explainer.script.slidespec import SlideSpec


def context_vector(example: Any, index: int) -> dict[str, Any]:
    """The word in sentence `index` of the shared example: its embedding x, its attention weights
    (true and as shown), Δx = Σ w·v and x + Δx."""
    from explainer.script.example import sentence_numbers

    numbers = sentence_numbers(example, index)
    at = numbers["word_at"]
    return {"tokens": numbers["tokens"], "word_at": at, "x": numbers["X"][at],
            "weights": numbers["weights"][at], "shown_weights": numbers["shown_weights"][at],
            "delta": numbers["delta"][at], "output": numbers["updated"][at]}


def _floats(values: Any) -> list[float]:
    return [float(v) for v in values]


def facts(p: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for i, cue in enumerate(p.cues):   # sentence i of the shared example: the word's row, as shown
        n = context_vector(p.example, i)
        weights = n["shown_weights"]
        found[f"sentence_{i}"] = "".join(n["tokens"])
        found[f"weights_{i}"] = _floats(weights)
        found[f"cue_weight_{i}"] = float(weights[n["tokens"].index(cue)]) if cue in n["tokens"] else 0.0
        found[f"output_{i}"] = _floats(n["output"])   # x + Δx
    return found


def claims(example: Any, params: Any) -> list[str]:
    """In each sentence the word attends most to its cue, and its x + Δx turns toward that
    sentence's meaning (axis i of the plane)."""
    from explainer.script.example import attends_most, turns_toward

    found = []
    for index, cue in enumerate(params.cues):
        found += attends_most(example, index, cue)
        found += turns_toward(example, index, index, params.axes[index])
    return found


SPEC = SlideSpec(
    # Numbers: the shared `example:` (its word in both sentences, Q = XW_Q, K = XW_K, V = XW_V).
    params={
        "axes": ListOf(Text(), min_len=2, max_len=2),      # the plane's two meanings
        "outputs": ListOf(Text(), min_len=2, max_len=2),   # labels of x + Δx in each sentence
        # The word each sentence's context hinges on (check warns if the word stops attending
        # most to it, or x + Δx stops turning toward that sentence's meaning).
        "cues": ListOf(Text(), min_len=2, max_len=2),
    },
    # Both sentences first, then where their Q, K, V come from; then per sentence its weights
    # (attend-i) and its Δx, x + Δx (move-i); then the two meanings side by side.
    steps=lambda p, b: ["sentences", "projections",
                        *(f"{part}-{i + 1}" for i in range(len(p.cues)) for part in ("attend", "move")), "meaning"],
    facts=facts,
    uses_example=True,
    claims=claims,
)
