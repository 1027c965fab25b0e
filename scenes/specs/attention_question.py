"""Slide 'attention-question': a token weighing its context beside a person weighing actions.

The machine side is the running example (script.yaml's top-level `example:`): its word's row of
attention weights in the first sentence, the numbers chapters 3–5 and the recap show (蘋果 gives
吃 0.49); the person side brings its own scores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explainer.script.params import ListOf, Number, Record, Text
from explainer.script.slidespec import SlideSpec

PERSON_SIDE = Record(
    {
        "name": Text(),
        "focus": Text(),
        "context": ListOf(Text(), min_len=2, max_len=4),
        "scores": ListOf(Number(minimum=-10, maximum=10), min_len=2, max_len=4),
    }
)


def side_weights(scores: list[float]) -> list[float]:
    """The attention weights the person side shows: softmax of its scores."""
    from explainer.maths import softmax

    return [float(w) for w in softmax(scores)]


def machine_side(example: Any) -> dict[str, Any]:
    """The machine side: the example's word (the query) and its row of attention weights over every
    word of the first sentence, itself included (the weights as qkv-flow computes them, and shown
    with two decimals adding to 1)."""
    from explainer.script.example import sentence_numbers

    sentence = sentence_numbers(example, 0)
    at = sentence["word_at"]
    return {
        "focus": sentence["tokens"][at],
        "context": list(sentence["tokens"]),
        "word_at": at,
        "weights": [float(w) for w in sentence["weights"][at]],
        "shown": [float(w) for w in sentence["shown_weights"][at]],
    }


def sides_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if len(params["person"]["context"]) != len(params["person"]["scores"]):
        yield "person", "params.person: context and scores must have the same length"


def facts(p: Any) -> dict[str, Any]:
    # machine_*: the running example's word in its first sentence (weights as shown, adding to 1);
    # machine_top: the word it attends to most and that weight; person_weights: softmax of the scores
    from explainer.maths import rounded_shares

    machine = machine_side(p.example)
    top = max(range(len(machine["weights"])), key=lambda i: machine["weights"][i])
    return {"machine_sentence": "".join(machine["context"]),
            "machine_focus": machine["focus"],
            "machine_weights": machine["shown"],
            "machine_top": machine["context"][top],
            "machine_top_weight": machine["shown"][top],
            "machine_self_weight": machine["shown"][machine["word_at"]],
            "person_weights": [float(v) for v in rounded_shares(side_weights(list(p.person.scores)), 2)]}


SPEC = SlideSpec(
    params={"question": Text(), "machine": Record({"name": Text()}), "person": PERSON_SIDE},
    rules=(sides_consistent,),
    steps=("machine", "person", "question"),
    facts=facts,
    uses_example=True,       # the machine side: the running example's word and its weights
)
