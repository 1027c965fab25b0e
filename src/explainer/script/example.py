"""The running example of chapters 3–5 (script.yaml's top-level `example:`): one sentence and one
set of numbers X, W_Q, W_K, W_V that qkv-flow, qkv-projection, scaled-dot-product,
apple-in-context and multi-head share; the numbers it yields, and the claims those slides make
about it (checked by `explainer check`, reported as warnings). Manim-free; its shape and structural
checks are in script/example_fields.py."""

from __future__ import annotations

from typing import Any

import numpy as np

from explainer.maths import angle_degrees, attention, multi_head, projections, rounded_shares

# Two decimals on screen: numbers closer than this look equal to a viewer.
VISIBLE = 0.02


def sentence_numbers(example: Any, index: int = 0) -> dict[str, Any]:
    """Every number a slide shows for sentence `index`: X, Q, K, V, QKᵀ, ÷√d_k, weights (and
    their two-decimal screen version that adds to 1), Δx = weights·V, and x + Δx."""
    tokens = list(example.sentences[index])
    x = np.asarray([example.embeddings[t] for t in tokens], dtype=float)
    qkv = projections(x, example.w_q, example.w_k, example.w_v)
    result = attention(qkv["Q"], qkv["K"], qkv["V"])
    return {
        "tokens": tokens,
        "word_at": tokens.index(example.word),
        "X": x,
        "W_Q": np.asarray(example.w_q, float),
        "W_K": np.asarray(example.w_k, float),
        "W_V": np.asarray(example.w_v, float),
        **qkv,
        "d_k": int(example.d_k),
        "sqrt_d_k": float(np.sqrt(example.d_k)),
        "scores": result["scores"],
        "scaled": result["scaled"],
        "exp": np.exp(result["scaled"]),
        "weights": result["weights"],
        "shown_weights": np.array([rounded_shares(row) for row in result["weights"]]),
        "delta": result["output"],
        "updated": x + result["output"],
    }


def head_matrices(example: Any, head: Any) -> tuple[Any, Any, Any]:
    """A head's W_Q, W_K, W_V: its own when it lists them, else the example's (the head the earlier
    slides computed)."""
    if "w_q" in head.names():
        return head.w_q, head.w_k, head.w_v
    return example.w_q, example.w_k, example.w_v


def multi_head_numbers(example: Any) -> dict[str, Any]:
    """The first sentence through the example's heads: per head its weights (and their two-decimal
    screen version), its outputs Σ w·v, then the outputs concatenated and projected by W_O."""
    heads, w_o = example.heads, example.w_o
    tokens = list(example.sentences[0])
    x = np.asarray([example.embeddings[t] for t in tokens], dtype=float)
    matrices = [head_matrices(example, head) for head in heads]
    result = multi_head(x, [m[0] for m in matrices], [m[1] for m in matrices], [m[2] for m in matrices], w_o)
    return {
        "tokens": tokens,
        "word_at": tokens.index(example.word),
        "X": x,
        "weights": [head["weights"] for head in result["heads"]],
        "shown_weights": [np.array([rounded_shares(row) for row in head["weights"]]) for head in result["heads"]],
        "outputs": [head["output"] for head in result["heads"]],
        "concat": result["concat"],
        "W_O": np.asarray(w_o, dtype=float),
        "output": result["output"],
    }


# -- the claims slides make about the example ---------------------------------------------------
# Each returns what no longer holds, as sentences naming the claim (empty: all hold).


def _top(weights: np.ndarray) -> tuple[int, int]:
    order = np.argsort(-weights, kind="stable")
    return int(order[0]), int(order[1])


def attends_most(example: Any, index: int, cue: str) -> list[str]:
    """The word, in sentence `index`, gives `cue` a visibly larger weight than any other word."""
    numbers = sentence_numbers(example, index)
    tokens, word = numbers["tokens"], example.word
    if cue not in tokens:
        return [f"{word} cannot attend to {cue}: it is not in example.sentences[{index}]"]
    row = numbers["weights"][numbers["word_at"]]
    first, second = _top(row)
    cue_at = tokens.index(cue)
    if first != cue_at:
        return [f"{word} no longer attends most to {cue} in 「{''.join(tokens)}」: {tokens[first]} gets "
                f"{row[first]:.2f}, {cue} {row[cue_at]:.2f}; edit example.w_q, w_k or embeddings"]
    if row[first] - row[second] < VISIBLE:
        return [f"{word} attends to {cue} ({row[first]:.2f}) hardly more than to {tokens[second]} "
                f"({row[second]:.2f}) in 「{''.join(tokens)}」: the two look tied on screen"]
    return []


def turns_toward(example: Any, index: int, axis: int, name: str) -> list[str]:
    """x + Δx of the word points further toward `axis` (0 or 1) of the plane than x does."""
    numbers = sentence_numbers(example, index)
    x = numbers["X"][numbers["word_at"]]
    after = numbers["updated"][numbers["word_at"]]
    turn = angle_degrees(after) - angle_degrees(x)
    if (turn if axis == 1 else -turn) < 5:
        return [f"in 「{''.join(numbers['tokens'])}」 {example.word}'s x + Δx no longer turns toward "
                f"「{name}」 (it turns {turn:+.0f}°)"]
    return []


def distinct_rows(example: Any) -> list[str]:
    """No two words of the first sentence share a weight row or an output, and every word's output
    differs from what it started with (context changes meaning)."""
    numbers = sentence_numbers(example, 0)
    tokens = numbers["tokens"]
    found = []
    for name, rows in (("attention weights", numbers["weights"]), ("outputs", numbers["delta"])):
        for i in range(len(tokens)):
            for j in range(i + 1, len(tokens)):
                if np.abs(rows[i] - rows[j]).max() < VISIBLE:
                    found.append(f"{tokens[i]} and {tokens[j]} get the same {name}: the slide would "
                                 "show two words collapsing into one")
    return found


def clear_winner(example: Any) -> list[str]:
    """The word's attention in the first sentence has one clearly largest weight."""
    numbers = sentence_numbers(example, 0)
    row = numbers["weights"][numbers["word_at"]]
    first, second = _top(row)
    if row[first] - row[second] < VISIBLE:
        tokens = numbers["tokens"]
        return [f"{example.word}'s largest weights tie ({tokens[first]} {row[first]:.2f}, "
                f"{tokens[second]} {row[second]:.2f}): no word clearly matters most"]
    return []


def three_views(example: Any) -> list[str]:
    """The word's q, k and v point in different directions (one embedding, three views)."""
    numbers = sentence_numbers(example, 0)
    at = numbers["word_at"]
    q, k = numbers["Q"][at], numbers["K"][at]
    cosine = float(q @ k / (np.linalg.norm(q) * np.linalg.norm(k) + 1e-12))
    if cosine > 0.98:
        return [f"{example.word}'s q and k point the same way: the three views look like one"]
    return []


def heads_differ(example: Any, params: Any) -> list[str]:
    """No two heads look at the same words (each head's strongest link from every word differs),
    and the example's word has one clearly largest weight in each head."""
    try:
        numbers = multi_head_numbers(example)
    except ValueError as error:
        return [f"the heads' matrices do not fit the example's vectors ({error}); give each head "
                "w_q, w_k, w_v with one row per embedding number"]
    found = []
    patterns = [tuple(w.argmax(axis=1)) for w in numbers["weights"]]
    names = [head.name for head in example.heads]
    for i in range(len(patterns)):
        for j in range(i + 1, len(patterns)):
            if patterns[i] == patterns[j]:
                found.append(f"{names[i]} and {names[j]} look at the same words: the slide would show one "
                             "kind of relation twice")
    for name, weights in zip(names, numbers["weights"]):
        row = weights[numbers["word_at"]]
        first, second = _top(row)
        if row[first] - row[second] < VISIBLE:
            found.append(f"in {name}, {example.word}'s two largest weights tie ({row[first]:.2f}, "
                         f"{row[second]:.2f})")
    return found
