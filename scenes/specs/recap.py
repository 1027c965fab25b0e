"""Slide 'recap': the lecture's ideas, one small picture and one line each, revealed in turn.

The next-word and temperature pictures are the shared prompt's (script.yaml's top-level
`next_word:`: its logits and its low and high T), the attention and heads pictures the running
example's (`example:`), so every number here is one an earlier slide showed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from explainer.script.params import ListOf, Number, Record, Text
from explainer.script.slidespec import SlideSpec

# The six pictures, in the order they are revealed (each has its caption in params.captions).
PANELS = ("next_word", "softmax", "attention", "multi_head", "residual", "human")


def next_word_numbers(logits: Sequence[float], temperatures: Sequence[float] = ()) -> dict[str, Any]:
    """The next-word pictures' numbers: the softmax (and as the bars print it, adding up to 1) and
    the softmax at each of `temperatures`."""
    from explainer.maths import shown_probabilities, softmax

    logits = list(logits)
    return {
        "probs": softmax(logits, 1.0),
        "probs_shown": shown_probabilities(logits),
        "tempered": [softmax(logits, float(t)) for t in temperatures],
    }


def attention_numbers(example: Any) -> dict[str, Any]:
    """The attention picture's numbers: the running example's word in its first sentence, the
    numbers qkv-flow computed (shown weights rounded to add up to 1)."""
    from explainer.script.example import sentence_numbers

    sentence = sentence_numbers(example, 0)
    at = sentence["word_at"]
    return {
        "tokens": sentence["tokens"],
        "word_at": at,
        "weights": sentence["weights"][at],
        "weights_shown": sentence["shown_weights"][at],
        "delta": sentence["delta"][at],
    }


def recap_numbers(p: Any, example: Any) -> dict[str, Any]:
    """Every number the pictures show (rounded shares add up to 1 as shown); the attention picture
    is the running example's word in its first sentence, the numbers qkv-flow computed."""
    from explainer.script.example import multi_head_numbers

    return {
        **next_word_numbers(p.next_word.logits, p.next_word.temperatures),
        **attention_numbers(example),
        "heads": multi_head_numbers(example)["weights"],
        "head_names": [head.name for head in example.heads],
    }


def recap_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if params["memory"]["capacity"] > len(params["memory"]["items"]):
        yield "memory", "params.memory.items must hold at least params.memory.capacity items"


def facts(p: Any) -> dict[str, Any]:
    # The recap's pictures show these rounded so each set adds up to 1 (rounded_shares); its
    # attention picture is the running example's word in its first sentence, as qkv-flow shows it.
    attention = attention_numbers(p.example)
    top = int(attention["weights"].argmax())
    return {
        "next_word_probs": [float(v) for v in next_word_numbers(p.next_word.logits)["probs_shown"]],
        "attention_top": attention["tokens"][top],
        "attention_top_weight": float(attention["weights_shown"][top]),
    }


SPEC = SlideSpec(
    # The next-word prompt, its logits and the low and high T: the top-level `next_word:`.
    params={
        "residual": Record({"shortcut": Text(), "block": Text()}),
        "memory": Record({"capacity": Number(minimum=1, maximum=6, integer=True),
                          "items": ListOf(Text(), min_len=1, max_len=8)}),
        "captions": Record({name: Text() for name in PANELS}),
    },
    rules=(recap_consistent,),
    steps=("title", "next-word", "softmax", "attention", "multi-head", "residual", "human", "together"),
    facts=facts,
    uses_example=True,       # the attention and heads pictures are the running example's
    example_parts=("heads", "w_o"),
    uses_next_word=True,
)
