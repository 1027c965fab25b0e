"""The maths at its edges: extreme temperatures and logits, ties, one token, degenerate stacks."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.maths import attention, residual_norms, softmax, softmax_steps, weighted_sum
from specs.temperature_table import sweep_plan


def test_huge_logits_do_not_overflow():
    probs = softmax([1000.0, 999.0, -1000.0])
    # e^1 : e^0 : 0 → 0.731, 0.269, 0 (by hand: 1 / (1 + e^-1) = 0.7311).
    np.testing.assert_allclose(probs, [0.7310586, 0.2689414, 0.0], atol=1e-7)


def test_a_tiny_temperature_approaches_greedy_and_a_huge_one_uniform():
    np.testing.assert_allclose(softmax([2.0, 1.0, 0.1], 1e-6), [1.0, 0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(softmax([2.0, 1.0, 0.1], 1e6), [1 / 3] * 3, atol=1e-6)


def test_greedy_ties_share_the_probability():
    np.testing.assert_allclose(softmax([3.0, 3.0, 1.0], 0.0), [0.5, 0.5, 0.0])


def test_a_negative_temperature_is_refused():
    with pytest.raises(ValueError, match="temperature must be >= 0"):
        softmax([1.0, 2.0], -0.5)


def test_softmax_works_row_by_row():
    rows = softmax([[0.0, 0.0], [np.log(3.0), 0.0]], axis=-1)
    np.testing.assert_allclose(rows, [[0.5, 0.5], [0.75, 0.25]])


def test_softmax_steps_show_what_the_probabilities_are_made_of():
    steps = softmax_steps([np.log(2.0), 0.0], temperature=1.0)
    np.testing.assert_allclose(steps["exp"], [2.0, 1.0])
    assert steps["sum"] == pytest.approx(3.0)
    np.testing.assert_allclose(steps["probs"], [2 / 3, 1 / 3])


def test_one_token_attends_only_to_itself():
    result = attention([[1.0, 2.0]], [[3.0, -1.0]], [[5.0, 7.0]])
    np.testing.assert_allclose(result["weights"], [[1.0]])
    np.testing.assert_allclose(result["output"], [[5.0, 7.0]])


def test_identical_keys_spread_attention_evenly_and_scaling_divides_by_sqrt_dk():
    result = attention([[1.0, 1.0, 1.0, 1.0]], [[1.0, 0.0, 0.0, 0.0]] * 2, [[2.0], [4.0]])
    np.testing.assert_allclose(result["scaled"], [[0.5, 0.5]])   # 1 / √4
    np.testing.assert_allclose(result["weights"], [[0.5, 0.5]])
    np.testing.assert_allclose(result["output"], [[3.0]])


def test_weighted_sum_of_one_hot_weights_picks_a_row():
    np.testing.assert_allclose(weighted_sum([0.0, 1.0], [[1.0, 2.0], [3.0, 4.0]]), [3.0, 4.0])


def test_a_stack_of_no_layers_is_just_the_input():
    np.testing.assert_allclose(residual_norms(0, 8, 0, 0.5, True), [1.0])


def test_sweep_plan_dips_to_greedy_after_its_lowest_value_once():
    assert sweep_plan([1.0, 0.2, 1.5]) == [0.2, 0.0, 1.5]
    assert sweep_plan([1.0, 0.0, 1.5]) == [0.0, 1.5]       # already reaches greedy: no extra dip
    assert sweep_plan([0.5, 1.0]) == [0.0, 1.0]             # the lowest is the start: dip first
