"""Slide 'causal-mask': the shared example's second sentence with the future masked — the scaled
scores QKᵀ/√d_k, every later word's score replaced by −∞ before softmax (its weight exactly 0),
rows still adding to 1, the word's row before and after, and each row as one next-word prediction."""

from __future__ import annotations

from typing import Any

from explainer.script.params import Record, Text
from explainer.script.slidespec import SlideSpec

# The example's second sentence (他買了一台蘋果手機): there the word's strongest cue comes after it.
SENTENCE = 1
# What a row shows after the sentence's last word: the word that follows is not in the sentence.
UNKNOWN_NEXT = "？"


def causal_numbers(example: Any) -> dict[str, Any]:
    """The second sentence's scaled scores, without and with the causal mask.

    `future[i, j]` is True where word j comes after word i (above the diagonal); `masked_scores`
    is `scaled` with those cells −∞; `full_*` are the row softmax of `scaled` (every word sees the
    whole sentence), `masked_*` of `masked_scores` (exactly 0 where masked); `*_shown` are two
    decimals per row adding to exactly 1 (as the grid prints them)."""
    import numpy as np

    from explainer.maths import rounded_shares, softmax
    from explainer.script.example import sentence_numbers

    numbers = sentence_numbers(example, SENTENCE)
    scaled = numbers["scaled"]
    size = len(numbers["tokens"])
    future = np.triu(np.ones((size, size), dtype=bool), k=1)
    masked_scores = np.where(future, -np.inf, scaled)
    masked = softmax(masked_scores, axis=-1)   # e^(−∞) = 0: exactly 0 where masked
    masked_shown = np.array([rounded_shares(row) for row in masked])
    return {
        "tokens": numbers["tokens"],
        "word_at": numbers["word_at"],
        "d_k": numbers["d_k"],
        "scaled": scaled,
        "future": future,
        "full_weights": numbers["weights"],
        "full_shown": numbers["shown_weights"],
        "masked_scores": masked_scores,
        "masked_weights": masked,
        "masked_shown": masked_shown,
        "row_sums": masked_shown.sum(axis=1),
    }


def predictions(tokens: list[str]) -> list[tuple[str, str]]:
    """What each row predicts: (the words row i sees, the word after them); the last row's next
    word lies beyond the sentence."""
    return [("".join(tokens[:i + 1]), tokens[i + 1] if i + 1 < len(tokens) else UNKNOWN_NEXT)
            for i in range(len(tokens))]


def _floats(values: Any) -> list[float]:
    return [float(v) for v in values]


def facts(p: Any) -> dict[str, Any]:
    n = causal_numbers(p.example)
    tokens, at = n["tokens"], n["word_at"]
    full, masked = n["full_shown"][at], n["masked_shown"][at]
    found: dict[str, Any] = {
        "sentence": "".join(tokens),
        "prefix": "".join(tokens[:at]),           # the words before the example's word
        "full_weights": _floats(full),
        "masked_weights": _floats(masked),
        "self_weight": float(masked[at]),
        "row_sum": float(n["row_sums"][at]),
        "predictions": len(tokens) - 1,           # next words inside the sentence
    }
    if p.future_cue in tokens:
        cue = tokens.index(p.future_cue)
        found.update(full_cue_weight=float(full[cue]), masked_cue_weight=float(masked[cue]))
    if p.lean_on in tokens:
        found["lean_weight"] = float(masked[tokens.index(p.lean_on)])
    pairs = predictions(tokens)[:-1]
    for name, (seen, following) in (("first", pairs[0]), ("second", pairs[min(1, len(pairs) - 1)]),
                                    ("last", pairs[-1])):
        found[f"seen_{name}"], found[f"next_{name}"] = seen, following
    return found


def claims(example: Any, params: Any) -> list[str]:
    """Without the mask the word attends most to `future_cue`, a later word; with it that word gets
    0 and `lean_on`, an earlier word, gets visibly the most of the earlier words."""
    import numpy as np

    from explainer.script.example import VISIBLE, attends_most

    found = attends_most(example, SENTENCE, params.future_cue)
    n = causal_numbers(example)
    tokens, at, word = n["tokens"], n["word_at"], example.word
    sentence = "".join(tokens)
    if params.future_cue in tokens and tokens.index(params.future_cue) <= at:
        found.append(f"{params.future_cue} does not come after {word} in 「{sentence}」: the mask would not hide it")
    if params.lean_on not in tokens[:at]:
        found.append(f"{params.lean_on} is not a word before {word} in 「{sentence}」: the masked row cannot lean on it")
        return found
    earlier = n["masked_weights"][at][:at]
    order = np.argsort(-earlier, kind="stable")
    lean = tokens.index(params.lean_on)
    if order[0] != lean:
        found.append(f"with the mask, {word} leans most on {tokens[order[0]]} ({earlier[order[0]]:.2f}), not on "
                     f"{params.lean_on} ({earlier[lean]:.2f}), among 「{''.join(tokens[:at])}」")
    elif len(order) > 1 and earlier[order[0]] - earlier[order[1]] < VISIBLE:
        found.append(f"with the mask, {word}'s weight on {params.lean_on} ({earlier[lean]:.2f}) hardly beats "
                     f"{tokens[order[1]]} ({earlier[order[1]]:.2f}): the two look tied on screen")
    return found


SPEC = SlideSpec(
    # Numbers: the shared `example:` (its second sentence, Q = XW_Q, K = XW_K, scores ÷ √d_k).
    params={
        # The later word the example's word attends to most when it sees the whole sentence, and
        # the earlier word it leans on most once the future is masked (check warns if either stops).
        "future_cue": Text(),
        "lean_on": Text(),
        # On-screen labels of the word's row before and after the mask.
        # On-screen labels: the cells of later words, the word's row before and after the mask, the
        # predictions trained together.
        "labels": Record({"future": Text(), "before": Text(), "after": Text(), "together": Text()}),
        # The bottom caption of each step after the scores (a $…$ part is set as math).
        "captions": Record({"whole": Text(), "full": Text(), "mask": Text(), "softmax": Text(),
                            "apple_row": Text(), "lean_on": Text(), "predictions": Text(), "one_pass": Text()}),
    },
    steps=("scores", "whole", "full", "mask", "softmax", "apple-row", "lean-on", "predictions", "one-pass"),
    facts=facts,
    uses_example=True,
    claims=claims,
)
