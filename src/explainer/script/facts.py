"""Numbers a slide's narration may say, computed from its params (manim-free).

A segment's `say:` text may hold placeholders in Python's format syntax, filled from the slide's
params and the facts below, so a lecturer's edit of a number changes what is said:
    say: 直接相加會得到 {naive_sum:.0%}，超過百分之百。
Placeholders are filled with digits (the subtitles show them); speech normalization then reads
them aloud in Chinese (「百分之一百零一」). Facts are keyed by scene class name; each is computed
with the same explainer.maths functions, from the same params, as the scene that shows it.
Numbered facts count from 0 like Python lists (`weights_0` is the first sentence, temperature…).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from explainer.maths import (
    attention,
    dot_scores,
    multi_head,
    residual_gradient_norms,
    residual_norms,
    seeded_matrix,
    softmax,
    softmax_steps,
    sweep_plan,
    weighted_sum,
)

Facts = dict[str, Any]


def _floats(values: Any) -> list[float]:
    return [float(v) for v in np.asarray(values, dtype=float)]


def _probability_chain(p: Any) -> Facts:
    # probs_i: the candidates' probabilities at step-(i + 1), in the order of its words
    return {f"probs_{i}": _floats(softmax(step.logits, 1.0)) for i, step in enumerate(p.steps)}


def _logits_softmax(p: Any) -> Facts:
    steps = softmax_steps(p.logits, 1.0)
    return {"exp": _floats(steps["exp"]), "exp_sum": float(steps["sum"]),
            "probs": _floats(steps["probs"])}


def _qkv_flow(p: Any) -> Facts:
    scores = dot_scores(p.query, p["keys"])
    weights = softmax(scores)
    return {"scores": _floats(scores), "weights": _floats(weights),
            "output": _floats(weighted_sum(weights, p["values"]))}


def _scaled_dot_product(p: Any) -> Facts:
    result = attention(p.queries, p["keys"], p["values"])
    d_k = int(np.asarray(p.queries, dtype=float).shape[1])
    facts: Facts = {"d_k": float(d_k), "sqrt_d_k": float(np.sqrt(d_k))}
    for i in range(len(p.tokens)):   # row i: the weights and output of token i
        facts[f"weights_{i}"] = _floats(result["weights"][i])
        facts[f"output_{i}"] = _floats(result["output"][i])
    return facts


def _apple_in_context(p: Any) -> Facts:
    facts: Facts = {}
    for i, sentence in enumerate(p.sentences):   # toy: query, keys and values are the token vectors
        vectors = np.asarray(sentence.vectors, dtype=float)
        weights = softmax(dot_scores(vectors[list(sentence.tokens).index(p.word)], vectors))
        facts[f"weights_{i}"] = _floats(weights)
        facts[f"output_{i}"] = _floats(weighted_sum(weights, vectors))
    return facts


def _multi_head(p: Any) -> Facts:
    # The same seeded W_V and W_O as scenes/multi_head.py (head_results).
    x = np.asarray(p.embeddings, dtype=float)
    count = len(p.heads)
    d_model = x.shape[1]
    value_weights = [seeded_matrix(p.seed + i, d_model, p.d_head, scale=0.5) for i in range(count)]
    output_weights = seeded_matrix(p.seed + 100, count * p.d_head, d_model, scale=0.5)
    result = multi_head(x, [h.w_q for h in p.heads], [h.w_k for h in p.heads], value_weights,
                        output_weights)
    focus = list(p.tokens).index(p.focus_token)
    # focus_i: head i's attention weights from the focus token to every token
    return {f"focus_{i}": _floats(head["weights"][focus]) for i, head in enumerate(result["heads"])}


def _residual(p: Any) -> Facts:
    args = (p.layers, p.width, p.seed, p.weight_scale)
    return {
        "plain_signal": float(residual_norms(*args, False)[-1]),           # after the top block
        "residual_signal": float(residual_norms(*args, True)[-1]),
        "plain_gradient": float(residual_gradient_norms(*args, False)[0]),  # reaching the input
        "residual_gradient": float(residual_gradient_norms(*args, True)[0]),
    }


def _temperature_formula(p: Any) -> Facts:
    steps = softmax_steps(p.logits, float(p.temperature))
    return {"scaled": _floats(steps["scaled"]), "probs": _floats(steps["probs"]),
            "probs_at_1": _floats(softmax(p.logits, 1.0))}


def _temperature_table(p: Any) -> Facts:
    # temps: every temperature the bars show, in order (the start, then sweep_plan);
    # probs_i: the probabilities at temps[i]
    temps = [float(p.sweep[0]), *sweep_plan(list(p.sweep))]
    facts: Facts = {"temps": temps}
    for i, t in enumerate(temps):
        facts[f"probs_{i}"] = _floats(softmax(p.logits, t))
    return facts


def _attention_question(p: Any) -> Facts:
    return {"machine_weights": _floats(softmax(p.machine.scores)),
            "person_weights": _floats(softmax(p.person.scores))}


def _homework(p: Any) -> Facts:
    scores = [o.score for o in p.options]
    values = [o.value for o in p.options]
    facts: Facts = {"naive_sum": float(sum(s * v for s, v in zip(scores, values)))}
    for index, t in enumerate(p.temperatures):
        weights = softmax(scores, t)
        facts[f"weights_{index}"] = [float(w) for w in weights]
        facts[f"output_{index}"] = float(weighted_sum(weights, values))
    return facts


FACTS: dict[str, Callable[[Any], Facts]] = {
    "ProbabilityChain": _probability_chain,
    "LogitsSoftmax": _logits_softmax,
    "QkvFlow": _qkv_flow,
    "ScaledDotProduct": _scaled_dot_product,
    "AppleInContext": _apple_in_context,
    "MultiHead": _multi_head,
    "Residual": _residual,
    "TemperatureFormula": _temperature_formula,
    "TemperatureTable": _temperature_table,
    "AttentionQuestion": _attention_question,
    "HomeworkQkv": _homework,
}


def facts_for(scene: str, params: Any) -> Facts:
    """The computed facts of a scene class for these params (empty if it declares none)."""
    compute = FACTS.get(scene)
    return compute(params) if compute else {}
