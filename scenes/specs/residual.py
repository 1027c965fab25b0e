"""Slide 'residual': x + F(x), then a stack of random blocks with and without the shortcut."""

from __future__ import annotations

import math
from typing import Any

from explainer.script.params import SEED, Number, Record, Text
from explainer.script.slidespec import SlideSpec


def stack_curves(params: Any) -> dict[str, dict[str, Any]]:
    """Signal and gradient norms per layer for the plain and the residual stack (what the rows show)."""
    from explainer.maths import residual_gradient_norms, residual_norms

    args = (params.layers, params.width, params.seed, params.weight_scale)
    return {
        "plain": {"signal": residual_norms(*args, False), "gradient": residual_gradient_norms(*args, False)},
        "residual": {"signal": residual_norms(*args, True), "gradient": residual_gradient_norms(*args, True)},
    }


def meter_decimals(value: float) -> int:
    """Decimals that show a norm to two significant figures (at least two): 1.27, 0.048, 0.00014."""
    if value <= 0:
        return 2
    return max(2, 1 - math.floor(math.log10(value)))


def log_interp(values: Any, t: float) -> float:
    """values at fractional index t, interpolated geometrically (norms span decades)."""
    import numpy as np

    low = int(np.clip(math.floor(t), 0, len(values) - 1))
    high = min(low + 1, len(values) - 1)
    frac = float(np.clip(t - low, 0, 1))
    return float(values[low] ** (1 - frac) * values[high] ** frac)


def facts(p: Any) -> dict[str, Any]:
    curves = stack_curves(p)
    return {
        "plain_signal": float(curves["plain"]["signal"][-1]),           # after the top block
        "residual_signal": float(curves["residual"]["signal"][-1]),
        "plain_gradient": float(curves["plain"]["gradient"][0]),        # reaching the input
        "residual_gradient": float(curves["residual"]["gradient"][0]),
    }


SPEC = SlideSpec(
    params={
        "layers": Number(minimum=2, maximum=48, integer=True),
        "width": Number(minimum=2, maximum=256, integer=True),
        "seed": SEED,
        "weight_scale": Number(minimum=0.01, maximum=4),
        "labels": Record({name: Text() for name in (
            "shortcut", "block", "plain_row", "residual_row", "signal", "gradient", "log_scale",
            "layer", "illustrative", "attention", "mlp", "transformer_block")}),
    },
    steps=("block", "sublayer", "sum", "stack", "plot", "gradient"),
    facts=facts,
)
