"""Slide 'homework-qkv': the weekend plan as Q, K, V (naive sum, softmax weights, focus as an analogy
of a lower temperature), then the assignment the student hands in."""

from __future__ import annotations

from typing import Any

from explainer.script.params import ListOf, Number, Record, Text
from explainer.script.slidespec import SlideSpec, numbered

TEMPERATURE = Number(minimum=0, maximum=10)


def homework_numbers(scores: list[float], values: list[float], temperatures: list[float]) -> dict[str, Any]:
    """Every number the slide shows: score × value products, their (naive) sum, and per temperature
    the softmax weights and the weighted sum of the values."""
    import numpy as np

    from explainer.maths import softmax, weighted_sum

    scores_arr, values_arr = np.asarray(scores, float), np.asarray(values, float)
    products = scores_arr * values_arr
    weights = [softmax(scores_arr, t) for t in temperatures]
    return {
        "products": products,
        "naive": float(np.sum(products)),
        "weights": weights,
        "outputs": [float(weighted_sum(w, values_arr)) for w in weights],
        "distraction": int(np.argmin(values_arr)),   # the option worth least: the phone
    }


def facts(p: Any) -> dict[str, Any]:
    # naive_sum: Σ score × value; weights_i / output_i: at temperatures[i]
    numbers = homework_numbers([o.score for o in p.options], [o.value for o in p.options], list(p.temperatures))
    found: dict[str, Any] = {"naive_sum": numbers["naive"]}
    for index, (weights, output) in enumerate(zip(numbers["weights"], numbers["outputs"])):
        found[f"weights_{index}"] = [float(w) for w in weights]
        found[f"output_{index}"] = output
    return found


SPEC = SlideSpec(
    params={
        "query": Text(),
        "options": ListOf(
            Record({"key": Text(), "score": Number(minimum=-10, maximum=10), "value": Number(minimum=0, maximum=1)}),
            min_len=2,
            max_len=5,
        ),
        "temperatures": ListOf(TEMPERATURE, min_len=1, max_len=4),
        "labels": Record(
            {"naive": Text(), "impossible": Text(), "softmax": Text(), "distraction": Text(), "focus": Text(),
             "analogy": Text()}
        ),
        # What the student fills in and hands in: one line per step (an item may say {t0} and {t1},
        # the first and last temperature), beside a blank worksheet with the hints below.
        "assignment": Record(
            {"heading": Text(), "items": ListOf(Text(), min_len=1, max_len=5), "query": Text(),
             "naive": Text(), "conclusion": Text()}
        ),
    },
    steps=lambda p, b: ["table", "naive-sum", "softmax", *numbered("focus", len(p.temperatures) - 1), "takeaway",
                        *numbered("assignment", len(p.assignment.items))],
    facts=facts,
)
