"""Cross-field rules of scene params (lengths that must agree, members that must exist), each
yielding (param name, message) for `check`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def chain_steps_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for index, step in enumerate(params["steps"]):
        if len(step["words"]) != len(step["logits"]):
            yield "steps", f"params.steps[{index}]: words and logits must have the same length"
        if step["pick"] not in step["words"]:
            yield "steps", f"params.steps[{index}].pick '{step['pick']}' must be one of its words"


def word_in_sentence(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if params["word"] not in params["sentence"]:
        yield "word", f"params.word '{params['word']}' does not occur in params.sentence"


def cues_in_sentence(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if params["sentence"].count(params["word"]) != len(params["meanings"]):
        yield "meanings", (f"params.meanings has {len(params['meanings'])} items but '{params['word']}' "
                           f"occurs {params['sentence'].count(params['word'])} times in params.sentence")
    for cue in params["cues"]:
        if cue not in params["sentence"]:
            yield "cues", f"params.cues: '{cue}' does not occur in params.sentence"


def nback_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if len(params["nback"]["n"]) != len(params["nback"]["accuracy"]):
        yield "nback", "params.nback: n and accuracy must have the same length"


def sides_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for side in ("machine", "person"):
        if len(params[side]["context"]) != len(params[side]["scores"]):
            yield side, f"params.{side}: context and scores must have the same length"


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


def motif_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    motif = params["motif"]
    if len(motif["tokens"]) != len(motif["scores"]):
        yield "motif", "params.motif: tokens and scores must have the same length (one score per token)"
    if motif["query"] not in motif["tokens"]:
        yield "motif", f"params.motif.query '{motif['query']}' must be one of params.motif.tokens"


def recap_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if len(params["next_word"]["words"]) != len(params["next_word"]["logits"]):
        yield "next_word", "params.next_word: words and logits must have the same length"
    if params["memory"]["capacity"] > len(params["memory"]["items"]):
        yield "memory", "params.memory.items must hold at least params.memory.capacity items"
