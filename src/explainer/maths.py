"""The numbers scenes show: softmax with temperature, dot products, attention, residual norms."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def softmax(logits: ArrayLike, temperature: float = 1.0, axis: int = -1) -> Array:
    """softmax(z / T) along `axis`; T = 0 is greedy: one-hot on the largest logit (ties share)."""
    z = np.asarray(logits, dtype=float)
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    if temperature == 0:
        top = z == np.max(z, axis=axis, keepdims=True)
        return top / np.sum(top, axis=axis, keepdims=True)
    scaled = z / temperature
    scaled = scaled - np.max(scaled, axis=axis, keepdims=True)  # stable for large logits
    exp = np.exp(scaled)
    return exp / np.sum(exp, axis=axis, keepdims=True)


def softmax_steps(logits: ArrayLike, temperature: float = 1.0) -> dict[str, Array | float]:
    """The intermediate quantities a slide shows: z/T, e^(z/T), their sum, and the probabilities."""
    z = np.asarray(logits, dtype=float)
    scaled = z / temperature if temperature > 0 else z
    exp = np.exp(scaled)
    total = float(np.sum(exp))
    return {"scaled": scaled, "exp": exp, "sum": total, "probs": softmax(z, temperature)}


def weighted_sum(weights: ArrayLike, values: ArrayLike) -> Array:
    """Σ_j w_j v_j (values as rows)."""
    return np.asarray(weights, dtype=float) @ np.asarray(values, dtype=float)


def attention(queries: ArrayLike, keys: ArrayLike, values: ArrayLike, scale: bool = True) -> dict[str, Array]:
    """Scaled dot-product attention with every intermediate: QKᵀ, ÷√d_k, row softmax, ×V."""
    q = np.atleast_2d(np.asarray(queries, dtype=float))
    k = np.atleast_2d(np.asarray(keys, dtype=float))
    v = np.atleast_2d(np.asarray(values, dtype=float))
    scores = q @ k.T
    scaled = scores / np.sqrt(k.shape[1]) if scale else scores
    weights = softmax(scaled, axis=-1)
    return {"scores": scores, "scaled": scaled, "weights": weights, "output": weights @ v}


def residual_norms(
    layers: int, width: int, seed: int, weight_scale: float, shortcut: bool
) -> Array:
    """Signal norm after each of `layers` random blocks F(x) = W·tanh(x), with or without x + F(x).

    Returns layers + 1 norms (the input first), normalised so the input norm is 1.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=width)
    x /= np.linalg.norm(x)
    norms = [1.0]
    for _ in range(layers):
        weights = rng.normal(0.0, weight_scale / np.sqrt(width), size=(width, width))
        block = weights @ np.tanh(x)
        x = x + block if shortcut else block
        norms.append(float(np.linalg.norm(x)))
    return np.asarray(norms)


def percent(value: float, decimals: int = 1) -> str:
    """0.5903 → '59.0%'."""
    return f"{value * 100:.{decimals}f}%"


def residual_first_block(width: int, seed: int, weight_scale: float) -> tuple[Array, Array]:
    """The input x and F(x) = W·tanh(x) of the first block of the stack residual_norms builds."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=width)
    x /= np.linalg.norm(x)
    weights = rng.normal(0.0, weight_scale / np.sqrt(width), size=(width, width))
    return x, weights @ np.tanh(x)


def residual_gradient_norms(
    layers: int, width: int, seed: int, weight_scale: float, shortcut: bool
) -> Array:
    """‖∂L/∂x_l‖ for l = 0..layers, backpropagating a unit gradient from the top of the same stack.

    Each block's Jacobian is W·diag(1 − tanh²(x)), plus the identity with a shortcut; the
    first entry is the gradient that reaches the input (what the bottom layers learn from).
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=width)
    x /= np.linalg.norm(x)
    jacobians = []
    for _ in range(layers):
        weights = rng.normal(0.0, weight_scale / np.sqrt(width), size=(width, width))
        jacobian = weights * (1.0 - np.tanh(x) ** 2)  # W @ diag(1 - tanh²(x))
        jacobians.append(jacobian + np.eye(width) if shortcut else jacobian)
        block = weights @ np.tanh(x)
        x = x + block if shortcut else block
    grad = np.ones(width) / np.sqrt(width)
    norms = [1.0]
    for jacobian in reversed(jacobians):
        grad = jacobian.T @ grad
        norms.append(float(np.linalg.norm(grad)))
    return np.asarray(norms[::-1])


def multi_head(
    embeddings: ArrayLike,
    query_weights: Sequence[ArrayLike],
    key_weights: Sequence[ArrayLike],
    value_weights: Sequence[ArrayLike],
    output_weights: ArrayLike,
) -> dict[str, object]:
    """Multi-head attention: per head Q = X·W_Q, K = X·W_K, V = X·W_V and softmax(QKᵀ/√d)·V,
    then the heads' outputs concatenated side by side and projected by W_O.

    Returns `heads` (one `attention` dict per head), `concat` (tokens × heads·d_head) and
    `output` (tokens × W_O's columns).
    """
    x = np.asarray(embeddings, dtype=float)
    heads = [
        attention(x @ np.asarray(wq, float), x @ np.asarray(wk, float), x @ np.asarray(wv, float))
        for wq, wk, wv in zip(query_weights, key_weights, value_weights)
    ]
    concat = np.concatenate([head["output"] for head in heads], axis=1)
    return {"heads": heads, "concat": concat, "output": concat @ np.asarray(output_weights, float)}


def rounded_shares(values: ArrayLike, decimals: int = 2) -> Array:
    """`values` rounded to `decimals` places so the rounded numbers still add to their rounded total
    (largest remainder: round every value down, then give the units left over to the values that
    lost the most), e.g. probabilities shown as 0.52 / 0.23 / 0.14 / 0.11 add to exactly 1.00."""
    unit = 10.0 ** decimals
    scaled = np.asarray(values, dtype=float) * unit
    floors = np.floor(scaled + 1e-9)
    leftover = round(float(np.sum(scaled))) - int(np.sum(floors))
    by_remainder = np.argsort(-(scaled - floors), kind="stable")   # ties: the earlier value first
    floors[by_remainder[:leftover]] += 1
    return floors / unit


def shown_probabilities(logits: ArrayLike, temperature: float = 1.0, decimals: int = 2) -> Array:
    """softmax(z / T) as a chart prints it: `decimals` places that add to exactly 1 (rounded_shares),
    e.g. logits 2, 1, 0 at T = 1 give 0.665 / 0.245 / 0.090, printed 0.67 / 0.24 / 0.09."""
    return rounded_shares(softmax(logits, temperature), decimals)


def uniform_draws(seed: int, count: int) -> Array:
    """`count` uniform numbers in [0, 1) from numpy's default_rng(seed): the dice a sampler rolls."""
    return np.random.default_rng(seed).random(count)


def sample_indices(probabilities: ArrayLike, uniforms: ArrayLike) -> NDArray[np.int64]:
    """Inverse-CDF sampling: each uniform u picks the first word whose cumulative probability
    exceeds u (so a word is picked as often as its probability says)."""
    cumulative = np.cumsum(np.asarray(probabilities, dtype=float))
    picks = np.searchsorted(cumulative, np.asarray(uniforms, dtype=float), side="right")
    return np.minimum(picks, len(cumulative) - 1)   # a cumulative sum a hair under 1


def sampled_words(words: Sequence[str], logits: ArrayLike, temperature: float, seed: int,
                  count: int) -> list[str]:
    """`count` next words sampled from softmax(logits / T) with the seeded dice: the same seed rolls
    the same dice at every temperature, so only the distribution differs (T = 0 always greedy)."""
    picks = sample_indices(softmax(logits, temperature), uniform_draws(seed, count))
    return [str(words[int(i)]) for i in picks]


def projections(embeddings: ArrayLike, w_q: ArrayLike, w_k: ArrayLike, w_v: ArrayLike) -> dict[str, Array]:
    """Q = X·W_Q, K = X·W_K, V = X·W_V (one row per token)."""
    x = np.atleast_2d(np.asarray(embeddings, dtype=float))
    return {"Q": x @ np.asarray(w_q, float), "K": x @ np.asarray(w_k, float), "V": x @ np.asarray(w_v, float)}


def angle_degrees(vector: ArrayLike) -> float:
    """The direction of a 2-D vector, in degrees from the first axis."""
    v = np.asarray(vector, dtype=float)
    return float(np.degrees(np.arctan2(v[1], v[0])))
