"""temperature-table: softmax at the swept temperatures, T = 0 greedy, and what the scene ends on."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.maths import sample_indices, sampled_words, shown_probabilities, softmax
from explainer.script.load import declared_steps
from explainer.script.model import Params, plain
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.temperature_table import (
    HIGH,
    LOW,
    SPEC,
    regime_examples,
    regime_of,
    sweep_of,
    sweep_plan,
    temperature_chars,
    visited_temperatures,
)

LOGITS = [2.0, 1.0, 0.1]
NEXT_WORD = {"prompt": "只是近黃昏，我", "words": ["想", "看", "們"], "logits": LOGITS,
             "vocabulary_note": "示意：假設詞彙表只有這三個詞", "temperatures": [0.2, 1.5]}


@pytest.mark.parametrize(
    ("temperature", "expected"),
    [(1.0, [0.659, 0.242, 0.099]),       # 7.389 2.718 1.105 / 11.212
     (0.2, [0.9932, 0.0067, 0.0001]),    # z / T = 10, 5, .5: 1, e^-5, e^-9.5 over 1.00681
     (1.5, [0.557, 0.286, 0.157]),       # z / T = 1.333 .667 .067: 3.794 1.948 1.069 / 6.811
     (0.0, [1.0, 0.0, 0.0])],
)
def test_softmax_at_the_temperatures_the_bars_show(temperature, expected):
    assert softmax(LOGITS, temperature) == pytest.approx(expected, abs=5e-4)


def test_shown_probabilities_add_to_one_at_every_stop():
    # .9932 .0067 .0001: floors 99 0 0, the spare hundredth to .67 → 0.99 0.01 0.00
    assert list(shown_probabilities(LOGITS, 0.2)) == [0.99, 0.01, 0.0]
    # .557 .286 .157: floors 55 28 15, two spare hundredths to the remainders .70 and .70 → 0.56 0.28 0.16
    assert list(shown_probabilities(LOGITS, 1.5)) == [0.56, 0.28, 0.16]


def test_the_sweep_is_the_shared_temperatures():
    assert sweep_of(Params({"next_word": NEXT_WORD})) == [1.0, 0.2, 1.5]
    assert SPEC.step_names(Params({"next_word": NEXT_WORD}), ()) == [
        "title", "sweep-to-0.2", "greedy", "sweep-to-1.5", "bullets"]


def test_only_the_temperatures_in_a_card_heading_take_ts_colour():
    # the glyphs (no spaces) of "T < 1" and "T = 0.2" in 「低溫 T < 1（例 T = 0.2）」
    heading = "低溫 T < 1（例 T = 0.2）"
    assert "".join(heading[i] for i in temperature_chars(heading)) == "T<1T=0.2"


def test_sweep_dips_to_greedy_after_its_lowest_value():
    assert sweep_plan([1.0, 0.2, 1.5]) == [0.2, 0.0, 1.5]
    assert sweep_plan([1.5, 0.0, 1.0]) == [0.0, 1.0]          # already reaches 0
    assert [regime_of(t) for t in (0.2, 1.0, 1.5)] == [LOW, None, HIGH]
    # One step per temperature visited after the first, T = 0 named "greedy".
    other = Params({"next_word": {**NEXT_WORD, "temperatures": [0.5, 2.0]}})
    assert SPEC.step_names(other, ()) == ["title", "sweep-to-0.5", "greedy", "sweep-to-2", "bullets"]


def test_inverse_cdf_sampling_by_hand():
    # cumulative 0.5, 0.8, 1.0: u below .5 picks 0, below .8 picks 1, else 2
    assert list(sample_indices([0.5, 0.3, 0.2], [0.0, 0.49, 0.5, 0.79, 0.8, 0.999])) == [0, 0, 1, 1, 2, 2]
    assert list(sample_indices([1.0, 0.0, 0.0], [0.3, 0.999])) == [0, 0]          # greedy: always the top


def test_seeded_draws_recomputed_by_hand():
    words = ["想", "看", "們"]
    dice = np.random.default_rng(0).random(10)   # the uniforms the sampler rolls
    np.testing.assert_allclose(dice, [0.6370, 0.2698, 0.0410, 0.0165, 0.8133, 0.9128, 0.6066, 0.7295,
                                      0.5436, 0.9351], atol=5e-5)
    # T = 1: cumulative .659 .901: the dice above .659 pick 看 (.8133 .7295), above .901 們 (.9128 .9351)
    assert "".join(sampled_words(words, LOGITS, 1.0, 0, 10)) == "想想想想看們想看想們"
    # T = 1.5: cumulative .557 .843: now .637 and .6066 pick 看 too
    assert "".join(sampled_words(words, LOGITS, 1.5, 0, 10)) == "看想想想看們看看想們"
    # T = 0.2: cumulative .9932 for 想, above every die (largest .9351); T = 0: greedy
    assert sampled_words(words, LOGITS, 0.2, 0, 10) == ["想"] * 10
    assert sampled_words(words, LOGITS, 0.0, 0, 10) == ["想"] * 10


def test_card_examples_come_from_the_sweep():
    assert regime_examples([1.0, 0.2, 1.5]) == {LOW: 0.2, HIGH: 1.5}
    assert regime_examples([1.0, 0.5, 0.3, 2.0, 1.2]) == {LOW: 0.3, HIGH: 2.0}
    assert regime_examples([1.0, 0.0]) == {}
    assert visited_temperatures([1.0, 0.2, 1.5]) == [1.0, 0.2, 0.0, 1.5]


@pytest.fixture(scope="module")
def default_scene(tmp_path_factory):
    return render_last_frame("temperature-table", tmp_path_factory.mktemp("tt"))


def test_scene_ends_at_the_last_sweep_value_with_matching_bars(default_scene):
    slide = lecture().slide("temperature-table")
    params = slide.params
    shared = params.next_word
    sweep = sweep_of(params)
    assert default_scene.part("t_value").get_value() == pytest.approx(sweep[-1])
    bars, cards, rows = (default_scene.part(name) for name in ("bars", "cards", "rows"))
    shown = [round(label.get_value(), 2) for label in bars.value_labels]
    assert shown == list(shown_probabilities(shared.logits, sweep[-1]))
    # The shared candidates, no other word, and the screen says they are the whole vocabulary.
    assert [w.original_text for w in bars.word_labels] == list(shared.words)
    assert default_scene.part("note").original_text == shared.vocabulary_note
    names = [name for name, *_ in default_scene.step_marks]
    assert names == declared_steps(lecture(), slide)
    # Both rows of the table are on screen, with the script's cells and the sweep's example T.
    texts = {t.original_text for card in cards for t in card.get_family()
             if hasattr(t, "original_text")}
    for row in params.rows:
        assert {row.mode, row.use} <= texts
    headings = [card.heading.original_text for card in cards]
    low, high = shared.temperatures
    assert headings == [f"{params.rows[0].regime}（{params.labels.example.format(t=low)}）",
                        f"{params.rows[1].regime}（{params.labels.example.format(t=high)}）"]
    # Neutral cards: no highlight (a regime is not a category colour); the temperatures in T's colour.
    theme = default_scene.theme
    for card in cards:
        assert card[0].get_stroke_color().to_hex().upper() == theme.muted.upper()
        coloured = {g.get_fill_color().to_hex().upper() for g in card.heading.submobjects}
        assert coloured == {theme.text.upper(), theme.temperature.upper()}
    # One row of seeded draws per temperature visited (1, 0.2, 0, 1.5), as sampled_words gives them.
    temps = visited_temperatures(sweep)
    assert [row.words() for row in rows] == [
        sampled_words(shared.words, shared.logits, t, params.seed, params.draws) for t in temps]
    # The narration counts the draws the rows show (one function computes both).
    facts = SPEC.facts(params)
    assert [row.words() for row in rows] == [facts[f"draws_{i}"] for i in range(len(temps))]
    assert [row.label.get_tex_string() for row in rows] == [f"T = {t:g}" for t in temps]
    # The ghost keeps the T = 1 bars: heights proportional to softmax at T = 1.
    ghost = [bar.height for bar in default_scene.part("ghost")]
    reference = softmax(shared.logits, 1.0)
    assert np.array(ghost) / ghost[0] == pytest.approx(reference / reference[0], abs=1e-3)
    assert default_scene.layout_findings == []


def test_changed_params_change_the_bars(tmp_path):
    params = plain(lecture().slide("temperature-table").params)
    params["next_word"].update(words=["想", "看", "們"], logits=LOGITS, temperatures=[0.5, 2.0])
    scene = render_last_frame("temperature-table", tmp_path, params=params)
    assert scene.part("t_value").get_value() == pytest.approx(2.0)
    # 0.5017, 0.3043, 0.1940 printed so they add to 1.00 (plain rounding gives 0.99)
    assert [round(label.get_value(), 2) for label in scene.part("bars").value_labels] == [0.50, 0.31, 0.19]


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("temperature-table", tmp_path)
