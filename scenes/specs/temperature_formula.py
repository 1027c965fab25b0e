"""Slide 'temperature-formula': where T sits — logits → ÷T → softmax → probabilities.

Its words, logits and its two temperatures are the shared prompt's (script.yaml's top-level
`next_word:`): the same logits at T = 1 give logits-softmax's 0.66, the low T sharpens them, the
high T flattens them (temperature-table and recap use the same two)."""

from __future__ import annotations

from typing import Any

from explainer.script.params import Record, Text
from explainer.script.slidespec import SlideSpec


def pipeline_values(logits: list[float], temperature: float) -> dict[str, Any]:
    """What the three charts show at one temperature: z, z / T and softmax(z / T)."""
    import numpy as np

    from explainer.maths import softmax_steps

    steps = softmax_steps(logits, temperature)
    return {"logits": np.asarray(logits, dtype=float), "scaled": steps["scaled"], "probs": steps["probs"]}


def demonstrated(p: Any) -> list[float]:
    """The temperatures the slide divides by, in order: 1 (the reference), the low T, the high T."""
    low, high = (float(t) for t in p.next_word.temperatures)
    return [1.0, low, high]


def scaled_top(p: Any) -> float:
    """The z / T chart's scale: the largest |z / T| at any temperature shown (the logits share it,
    so the bars compare)."""
    import numpy as np

    return float(max(np.max(np.abs(pipeline_values(list(p.next_word.logits), t)["scaled"])) for t in demonstrated(p)))


def facts(p: Any) -> dict[str, Any]:
    # scaled_low / scaled_high: z / T; probs_1 / probs_low / probs_high: as the bars print them (two
    # decimals adding to 1.00)
    from explainer.maths import shown_probabilities

    logits = [float(z) for z in p.next_word.logits]
    _, low, high = demonstrated(p)
    low_values, high_values = pipeline_values(logits, low), pipeline_values(logits, high)
    return {
        "scaled_low": [float(v) for v in low_values["scaled"]],
        "scaled_high": [float(v) for v in high_values["scaled"]],
        "probs_1": [float(v) for v in shown_probabilities(logits)],
        "probs_low": [float(v) for v in shown_probabilities(logits, low)],
        "probs_high": [float(v) for v in shown_probabilities(logits, high)],
    }


SPEC = SlideSpec(
    # The words, logits and temperatures: the top-level `next_word:` (its low T and high T).
    params={"labels": Record({"reference": Text()})},     # the legend of the T = 1 bars kept for comparison
    steps=("title", "formula", "logits", "reference", "divide-low", "softmax-low", "divide-high", "softmax-high",
           "position"),
    facts=facts,
    uses_next_word=True,
)
