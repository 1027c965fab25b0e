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
    residual_gradient_norms,
    residual_norms,
    sampled_words,
    shown_probabilities,
    softmax,
    softmax_steps,
    weighted_sum,
)
from explainer.script.example import multi_head_numbers, sentence_numbers
from explainer.script.sweep import sweep_plan

Facts = dict[str, Any]


def _floats(values: Any) -> list[float]:
    return [float(v) for v in np.asarray(values, dtype=float)]


def _probability_chain(p: Any) -> Facts:
    # probs_i: the candidates' probabilities at step-(i + 1), in the order of its words, as the
    # bars print them (two decimals adding to 1.00)
    return {f"probs_{i}": _floats(shown_probabilities(step.logits))
            for i, step in enumerate(p.steps)}


def _logits_softmax(p: Any) -> Facts:
    # probs: as the bars print them (two decimals adding to 1.00)
    steps = softmax_steps(p.logits, 1.0)
    return {"exp": _floats(steps["exp"]), "exp_sum": float(steps["sum"]),
            "probs": _floats(shown_probabilities(p.logits))}


def _qkv_analogy(p: Any) -> Facts:
    # weights: how much of each page is read, softmax of the scores, as printed (two decimals, sum 1)
    return {"weights": _floats(shown_probabilities([r.score for r in p.results]))}


def _qkv_flow(p: Any) -> Facts:
    # The shared example's word in its first sentence (as scenes/qkv_flow.py shows it).
    n = sentence_numbers(p.example, 0)
    at, tokens = n["word_at"], n["tokens"]
    scores, weights = n["scores"][at], n["shown_weights"][at]
    top, low = int(np.argmax(scores)), int(np.argmin(scores))
    return {"sentence": "".join(tokens), "d_k": n["d_k"], "sqrt_d_k": n["sqrt_d_k"],
            "scores": _floats(scores), "weights": _floats(weights),
            "top_token": tokens[top], "top_score": float(scores[top]), "top_weight": float(weights[top]),
            "low_token": tokens[low], "low_score": float(scores[low]),
            "exp_sum": float(n["exp"][at].sum()), "output": _floats(n["delta"][at]),
            "updated": _floats(n["updated"][at])}


def _qkv_projection(p: Any) -> Facts:
    n = sentence_numbers(p.example, 0)
    return {"sentence": "".join(n["tokens"]), "d_model": int(n["X"].shape[1]), "d_k": n["d_k"]}


def _scaled_dot_product(p: Any) -> Facts:
    n = sentence_numbers(p.example, 0)
    at, tokens = n["word_at"], n["tokens"]
    facts: Facts = {"sentence": "".join(tokens), "d_k": n["d_k"], "sqrt_d_k": n["sqrt_d_k"]}
    for i in range(len(tokens)):   # row i: the weights (as shown) and output of token i
        facts[f"weights_{i}"] = _floats(n["shown_weights"][i])
        facts[f"output_{i}"] = _floats(n["delta"][i])
    row = n["shown_weights"][at]
    others = [j for j in range(len(tokens)) if j != at]
    top = max(others, key=lambda j: row[j])   # the word's strongest other word
    facts.update(word_top_token=tokens[top], word_top_weight=float(row[top]),
                 word_self_weight=float(row[at]), word_output=_floats(n["delta"][at]))
    return facts


def _apple_in_context(p: Any) -> Facts:
    facts: Facts = {}
    for i, cue in enumerate(p.cues):   # sentence i of the shared example: the word's row, as shown
        n = sentence_numbers(p.example, i)
        weights = n["shown_weights"][n["word_at"]]
        facts[f"sentence_{i}"] = "".join(n["tokens"])
        facts[f"weights_{i}"] = _floats(weights)
        facts[f"cue_weight_{i}"] = float(weights[n["tokens"].index(cue)]) if cue in n["tokens"] else 0.0
        facts[f"output_{i}"] = _floats(n["updated"][n["word_at"]])   # x + Δx
    return facts


def _multi_head(p: Any) -> Facts:
    try:
        numbers = multi_head_numbers(p.example)
    except ValueError:      # matrices that do not fit the example: `check` reports it
        return {}
    at, tokens = numbers["word_at"], numbers["tokens"]
    facts: Facts = {"heads": len(p.example.heads), "concat_length": int(numbers["concat"].shape[1])}
    # head_i_top / head_i_weight: the word tracked looks most at this word, with this shown weight
    for i, shown in enumerate(numbers["shown_weights"]):
        top = int(numbers["weights"][i][at].argmax())
        facts[f"head_{i}_top"] = tokens[top]
        facts[f"head_{i}_weight"] = float(shown[at][top])
    facts["output"] = _floats(numbers["output"][at])
    return facts


def _residual(p: Any) -> Facts:
    args = (p.layers, p.width, p.seed, p.weight_scale)
    return {
        "plain_signal": float(residual_norms(*args, False)[-1]),           # after the top block
        "residual_signal": float(residual_norms(*args, True)[-1]),
        "plain_gradient": float(residual_gradient_norms(*args, False)[0]),  # reaching the input
        "residual_gradient": float(residual_gradient_norms(*args, True)[0]),
    }


def _temperature_formula(p: Any) -> Facts:
    # probs, probs_at_1: as the bars print them (two decimals adding to 1.00)
    steps = softmax_steps(p.logits, float(p.temperature))
    return {"scaled": _floats(steps["scaled"]), "probs": _floats(shown_probabilities(p.logits, float(p.temperature))),
            "probs_at_1": _floats(shown_probabilities(p.logits))}


def _temperature_table(p: Any) -> Facts:
    # temps: every temperature the bars show, in order (the start, then sweep_plan);
    # probs_i: the probabilities at temps[i], as the bars print them (two decimals adding to 1.00)
    # draws_i: the seeded draws at temps[i] (as the scene shows them); top_count_i: how many are
    # the most likely word; distinct_i: how many different words were drawn
    temps = [float(p.sweep[0]), *sweep_plan(list(p.sweep))]
    facts: Facts = {"temps": temps}
    top = p.words[int(np.argmax(np.asarray(p.logits, dtype=float)))]
    for i, t in enumerate(temps):
        facts[f"probs_{i}"] = _floats(shown_probabilities(p.logits, t))
        if "seed" in p and "draws" in p:
            draws = sampled_words(p.words, p.logits, t, p.seed, p.draws)
            facts[f"draws_{i}"] = draws
            facts[f"top_count_{i}"] = draws.count(top)
            facts[f"distinct_{i}"] = len(set(draws))
    return facts


def _attention_question(p: Any) -> Facts:
    return {"machine_weights": _floats(softmax(p.machine.scores)),
            "person_weights": _floats(softmax(p.person.scores))}


def _recap(p: Any) -> Facts:
    # The recap's pictures show these rounded so each set adds up to 1 (rounded_shares); its
    # attention picture is the running example's word in its first sentence, as qkv-flow shows it.
    n = sentence_numbers(p.example, 0)
    at = n["word_at"]
    top = int(n["weights"][at].argmax())
    return {
        "next_word_probs": _floats(shown_probabilities(p.next_word.logits)),
        "attention_top": n["tokens"][top],
        "attention_top_weight": float(n["shown_weights"][at][top]),
    }


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
    "QkvAnalogy": _qkv_analogy,
    "QkvFlow": _qkv_flow,
    "QkvProjection": _qkv_projection,
    "ScaledDotProduct": _scaled_dot_product,
    "AppleInContext": _apple_in_context,
    "MultiHead": _multi_head,
    "Residual": _residual,
    "TemperatureFormula": _temperature_formula,
    "TemperatureTable": _temperature_table,
    "AttentionQuestion": _attention_question,
    "Recap": _recap,
    "HomeworkQkv": _homework,
}


def facts_for(scene: str, params: Any) -> Facts:
    """The computed facts of a scene class for these params (empty if it declares none)."""
    compute = FACTS.get(scene)
    return compute(params) if compute else {}
