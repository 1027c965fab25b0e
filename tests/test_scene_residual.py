"""Residual slide: the norms it shows, checked by hand, and what the rendered scene ends with."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber

from explainer.maths import residual_first_block, residual_gradient_norms, residual_norms
from explainer.scenekit.layout import text_objects, visible
from explainer.script.load import declared_steps
from explainer.script.model import Params, plain
from scene_texts import _as_string
from scenes_support import assert_renders_cleanly, lecture, render_last_frame, scene_class
from specs.residual import meter_decimals, stack_curves

PARAMS = lecture().slide("residual").params


def test_first_layer_norm_by_hand():
    # Independently of maths.py: the same seeded draws, one block F(x) = W·tanh(x).
    rng = np.random.default_rng(PARAMS.seed)
    x = rng.normal(size=PARAMS.width)
    x = x / np.sqrt(np.sum(x**2))
    w = rng.normal(0.0, PARAMS.weight_scale / np.sqrt(PARAMS.width), size=(PARAMS.width, PARAMS.width))
    fx = w @ np.tanh(x)
    plain = residual_norms(PARAMS.layers, PARAMS.width, PARAMS.seed, PARAMS.weight_scale, False)
    with_shortcut = residual_norms(PARAMS.layers, PARAMS.width, PARAMS.seed, PARAMS.weight_scale, True)
    assert plain[0] == with_shortcut[0] == 1.0
    assert plain[1] == pytest.approx(np.sqrt(np.sum(fx**2)))
    assert with_shortcut[1] == pytest.approx(np.sqrt(np.sum((x + fx) ** 2)))
    shown_x, shown_fx = residual_first_block(PARAMS.width, PARAMS.seed, PARAMS.weight_scale)
    np.testing.assert_allclose(shown_x, x)
    np.testing.assert_allclose(shown_fx, fx)


def test_plain_stack_fades_and_residual_stack_survives():
    args = (PARAMS.layers, PARAMS.width, PARAMS.seed, PARAMS.weight_scale)
    plain, residual = residual_norms(*args, False), residual_norms(*args, True)
    assert len(plain) == len(residual) == PARAMS.layers + 1
    assert plain[-1] < 1e-3
    assert np.all(np.diff(plain) < 0)  # shrinks at every layer
    assert np.all((residual > 0.5) & (residual < 3))


def test_gradient_vanishes_without_shortcuts_only():
    args = (PARAMS.layers, PARAMS.width, PARAMS.seed, PARAMS.weight_scale)
    plain, residual = residual_gradient_norms(*args, False), residual_gradient_norms(*args, True)
    assert plain[-1] == residual[-1] == 1.0  # the unit gradient at the top
    assert plain[0] < 1e-3
    assert 0.5 < residual[0] < 3


def test_gradient_of_one_block_by_hand():
    # One plain block: dF/dx = W·diag(1 − tanh²x), so the input gradient is its transpose times g.
    rng = np.random.default_rng(5)
    x = rng.normal(size=3)
    x = x / np.linalg.norm(x)
    w = rng.normal(0.0, 1.0 / np.sqrt(3), size=(3, 3))
    g = np.ones(3) / np.sqrt(3)
    by_hand = np.linalg.norm((w * (1 - np.tanh(x) ** 2)).T @ g)
    assert residual_gradient_norms(1, 3, 5, 1.0, False)[0] == pytest.approx(by_hand)
    assert residual_gradient_norms(1, 3, 5, 1.0, True)[0] == pytest.approx(
        np.linalg.norm((w * (1 - np.tanh(x) ** 2) + np.eye(3)).T @ g))


def _readouts(scene) -> list[float]:
    found = [m for m in scene.mobjects if isinstance(m, DecimalNumber)]
    for mobject in scene.mobjects:
        found += [m for m in mobject.get_family() if isinstance(m, DecimalNumber) and m not in found]
    return sorted({round(m.get_value(), 6) for m in found})


def test_scene_ends_on_the_gradient_that_reaches_the_input(tmp_path):
    scene = render_last_frame("residual", tmp_path)
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide("residual"))
    assert scene.layout_findings == []
    curves = stack_curves(PARAMS)
    expected = sorted(round(curves[row]["gradient"][0], 6) for row in ("plain", "residual"))
    assert _readouts(scene) == pytest.approx(expected, rel=1e-6)


def test_changed_params_change_the_numbers(tmp_path):
    params = plain(PARAMS)
    params.update(layers=6, weight_scale=0.3)
    scene = render_last_frame("residual", tmp_path, params=params)
    curves = stack_curves(Params(params))
    expected = sorted(round(curves[row]["gradient"][0], 6) for row in ("plain", "residual"))
    assert _readouts(scene) == pytest.approx(expected, rel=1e-6)


def test_meters_round_to_two_significant_figures():
    # 1.2743 → 1.27; 0.048 → 0.048; 0.00013975 → 0.00014 (never 1.27435 or 0.00)
    assert [meter_decimals(v) for v in (1.2743, 0.44, 0.048, 0.00013975)] == [2, 2, 3, 5]


def test_gradient_numbers_sit_beside_the_input_and_the_demo_is_marked_illustrative(tmp_path):
    scene = render_last_frame("residual", tmp_path)
    assert scene.part("illustrative").original_text == PARAMS.labels.illustrative
    readouts = [m for m in scene.mobjects if isinstance(m, DecimalNumber)]
    assert len(readouts) == 2
    for readout in readouts:
        # Left of the input node x (layer 0), which is left of every block.
        assert readout.get_right()[0] < -4.9


def test_x_plus_fx_stays_on_screen_while_it_is_described(tmp_path, monkeypatch):
    cls = scene_class("residual")
    ends: dict[str, set[str]] = {}
    original = cls.finish_step

    def recorded(self):
        if self.step_marks:
            ends[self.step_marks[-1][0]] = {_as_string(m) for m in text_objects(self.mobjects) if visible(m)}
        original(self)

    monkeypatch.setattr(cls, "finish_step", recorded)
    # Stops after the stack step begins: the steps before it are what this test is about.
    render_last_frame("residual", tmp_path, fresh=True)
    # x goes into F and F(x) comes out in `sublayer`; `sum` ends on x + F(x) with the caption,
    # and the picture leaves only as the stack begins.
    assert {"x", "F(x)"} <= ends["sublayer"]
    assert any(text.replace(" ", "") == "x+F(x)" for text in ends["sum"])
    assert PARAMS.labels.shortcut in ends["sum"]
    assert not any(text.replace(" ", "") == "x+F(x)" for text in ends["stack"])


def test_gradient_meters_keep_red_without_and_green_with_the_shortcut(tmp_path):
    scene = render_last_frame("residual", tmp_path)
    theme = lecture().theme
    for row, role in (("plain", theme.bad), ("residual", theme.good)):
        lit = [level for level in scene.part("levels")[row] if level.get_fill_opacity() > 0]
        assert lit, row
        assert {level.get_fill_color().to_hex().lower() for level in lit} == {role.lower()}


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("residual", tmp_path)
