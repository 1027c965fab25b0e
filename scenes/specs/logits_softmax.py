"""Slide 'logits-softmax': logits → exponentiate → divide by the sum → probabilities summing to 1.

Its words and logits are the shared prompt's (script.yaml's top-level `next_word:`), the same as
probability-chain's first step, temperature and recap."""

from __future__ import annotations

from typing import Any

from explainer.script.slidespec import SlideSpec


def softmax_stages(logits: list[float]) -> dict:
    """What the charts show: z, e^z, their sum and e^z / sum (the probabilities)."""
    import numpy as np

    from explainer.maths import softmax_steps

    steps = softmax_steps(logits, 1.0)
    return {"logits": np.asarray(logits, dtype=float), "exp": steps["exp"], "sum": steps["sum"],
            "probs": steps["probs"]}


def sum_terms(values: Any, total: float, decimals: int = 2) -> list[str]:
    """'7.39', '+', '2.72', '+', '1.11', '≈', '11.21': a sum written out term by term; '=' only when
    the rounded terms really add up to the rounded total (else a student catches 11.22 ≠ 11.21)."""
    shown = [f"{value:.{decimals}f}" for value in values]
    terms: list[str] = []
    for index, text in enumerate(shown):
        terms += (["+"] if index else []) + [text]
    exact = f"{sum(float(t) for t in shown):.{decimals}f}" == f"{total:.{decimals}f}"
    return terms + ["=" if exact else r"\approx", f"{total:.{decimals}f}"]


def facts(p: Any) -> dict[str, Any]:
    # exp, exp_sum: e^z and their sum, as the scene computes them; probs: as the bars print them
    # (two decimals adding to 1.00)
    from explainer.maths import rounded_shares

    stages = softmax_stages(list(p.next_word.logits))
    return {"exp": [float(v) for v in stages["exp"]], "exp_sum": float(stages["sum"]),
            "probs": [float(v) for v in rounded_shares(stages["probs"], 2)]}


SPEC = SlideSpec(
    steps=("logits", "formula", "exponentiate", "sum", "divide", "sum-to-one"),
    facts=facts,
    uses_next_word=True,     # words, logits and the vocabulary note: the top-level `next_word:`
)
