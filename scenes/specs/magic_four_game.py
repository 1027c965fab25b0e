"""Slide 'magic-four-game': a working-memory game that blocks rehearsal, then recall and the reveal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explainer.script.params import SEED, ListOf, Number, Record, Text
from explainer.script.slidespec import SlideSpec

BEAT_SECONDS = 1.0       # one number said aloud per beat while counting backwards


def draw_items(pool: list[str], count: int, seed: int) -> list[str]:
    """`count` distinct items from `pool`, drawn with numpy's default_rng(seed): a re-render is identical."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return [pool[int(i)] for i in rng.choice(len(pool), size=count, replace=False)]


def grid_columns(count: int) -> int:
    """Cards per row: at most 4 (two rows for up to 8 items, three for up to 12)."""
    return min(4, count)


def backward_count(start: int, step: int, beats: int) -> list[int]:
    """The numbers said while counting backwards: start, start - step, ... (one per beat)."""
    return [start - index * step for index in range(beats)]


def beats_in(seconds: float) -> int:
    """How many numbers fit the distractor's time, one per beat (at least one)."""
    return max(1, int(seconds // BEAT_SECONDS))


def count_fits_pool(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if params["count"] > len(params["pool"]):
        yield "count", f"params.count ({params['count']}) exceeds the {len(params['pool'])} items in params.pool"
    if len(set(params["pool"])) != len(params["pool"]):
        yield "pool", "params.pool has repeated items; each item must be distinct"


def recall_in_range(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    low, high = params["recall_range"]["low"], params["recall_range"]["high"]
    if not low <= params["typical_recall"] <= high:
        yield "recall_range", (f"params.recall_range ({low} to {high}) must contain "
                               f"params.typical_recall ({params['typical_recall']})")
    if high >= params["count"]:
        yield "count", (f"params.count ({params['count']}) must exceed params.recall_range.high ({high}): "
                        "the game needs more words than people typically hold")


SPEC = SlideSpec(
    params={
        "pool": ListOf(Text(), min_len=2, max_len=24),   # unrelated words (nothing to chunk)
        "count": Number(minimum=1, maximum=12, integer=True),
        "seed": SEED,
        "countdown": Number(minimum=0, maximum=10, integer=True),
        "flash_seconds": Number(minimum=0.5, maximum=10),
        # Counting backwards aloud blocks rehearsal (Cowan's ~4 holds only then).
        "distractor": Record(
            {
                "start": Number(minimum=10, maximum=999, integer=True),
                "step": Number(minimum=1, maximum=9, integer=True),
                "seconds": Number(minimum=2, maximum=20),
            }
        ),
        "pause_seconds": Number(minimum=0, maximum=10),
        "typical_recall": Number(minimum=1, maximum=12, integer=True),
        "recall_range": Record(
            {"low": Number(minimum=1, maximum=12, integer=True),
             "high": Number(minimum=1, maximum=12, integer=True)}
        ),
        "prompts": Record(
            {"ready": Text(), "memorize": Text(), "distract": Text(), "recall": Text(), "reveal": Text(),
             "takeaway": Text(), "chunks": Text()}
        ),
    },
    rules=(count_fits_pool, recall_in_range),
    steps=("countdown", "flash", "distract", "recall", "reveal", "takeaway"),
)
