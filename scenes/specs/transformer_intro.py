"""Slide 'transformer-intro': a one-token-at-a-time reader beside self-attention processing the whole
sentence at once (the original encoder / BERT; a note says GPT-style models see only earlier words)."""

from __future__ import annotations

from itertools import combinations

from explainer.script.params import ListOf, Number, Text
from explainer.script.slidespec import SlideSpec


def token_pairs(count: int) -> list[tuple[int, int]]:
    """Every pair of token positions: the connections self-attention draws all at once."""
    return list(combinations(range(count), 2))


SPEC = SlideSpec(
    params={
        "year": Number(minimum=1900, maximum=2100, integer=True),
        "paper": Text(),
        "tokens": ListOf(Text(), min_len=2, max_len=8),
        "sequential_label": Text(),
        "attention_label": Text(),
        # Which attention the right panel draws (every word linked to every other), and that
        # GPT-style next-word models let a word see only the words before it (causal-mask).
        "attention_note": ListOf(Text(), min_len=1, max_len=2),   # one or two lines
    },
    steps=("title", "sequential", "attention", "note", "bullets"),
)
