"""probability-chain: candidates' probabilities per step, and the sentence growing with the picks."""

from __future__ import annotations

import pytest

from explainer.app.cli import main
from explainer.maths import shown_probabilities
from explainer.script.load import declared_steps
from explainer.script.model import Params
from keys_support import copy_project
from pipeline_support import edit
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.probability_chain import chain_steps, chain_text, step_probabilities

NEXT_WORD = {"prompt": "只是近黃昏，我", "words": ["想", "看", "們"], "logits": [2.0, 1.0, 0.1],
             "vocabulary_note": "示意：假設詞彙表只有這三個詞", "temperatures": [0.2, 1.5]}


def test_step_probabilities_by_hand():
    # e^2, e^1, e^0.1 = 7.389, 2.718, 1.105; sum 11.212 → .659 .242 .099
    assert list(step_probabilities({"logits": [2.0, 1.0, 0.1]})) == pytest.approx(
        [0.659, 0.242, 0.099], abs=5e-4)


def test_the_first_step_is_the_shared_prompts():
    p = Params({"first_pick": "想", "steps": [{"words": ["起", "要"], "logits": [2.0, 1.4], "pick": "起"}],
                "next_word": NEXT_WORD})
    steps = chain_steps(p)
    assert steps[0] == {"words": ["想", "看", "們"], "logits": [2.0, 1.0, 0.1], "pick": "想"}
    assert steps[1] == {"words": ["起", "要"], "logits": [2.0, 1.4], "pick": "起"}
    # shown as the bars print them: 0.66 0.24 0.10, as on logits-softmax
    assert list(shown_probabilities(steps[0]["logits"])) == [0.66, 0.24, 0.10]


def test_shown_probabilities_add_to_exactly_one():
    # softmax([2.2, 1.4, 0.9, 0.6]) = .5198 .2336 .1417 .1049: plain rounding prints 0.99 in all;
    # the leftover hundredth goes to the largest remainder (.49 of 10.49).
    assert list(shown_probabilities([2.2, 1.4, 0.9, 0.6])) == [0.52, 0.23, 0.14, 0.11]
    # Three equal thirds: 33.33 each, the first gets the spare hundredth.
    assert list(shown_probabilities([1.0, 1.0, 1.0])) == [0.34, 0.33, 0.33]


def test_chain_text_appends_the_picks():
    steps = [{"pick": "想"}, {"pick": "起"}]
    assert chain_text("我", steps) == ("我想起", ["我", "想", "起"])


def visible_text(scene):
    """The sentence's characters that are drawn (picks not yet made are invisible)."""
    sentence = scene.part("sentence")
    glyphs = [g for g in sentence.submobjects if g.get_fill_opacity() > 0.5]
    text = sentence.original_text.replace(" ", "")
    return "".join(ch for ch, g in zip(text, sentence.submobjects) if g in glyphs)


def test_sentence_ends_with_every_pick(tmp_path):
    params = lecture().slide("probability-chain").params
    scene = render_last_frame("probability-chain", tmp_path)
    picks = params.first_pick + "".join(step.pick for step in params.steps)
    assert visible_text(scene) == params.prompt + picks
    last = params.steps[-1]
    assert [w.original_text for w in scene.part("chart").word_labels] == list(last.words)
    assert [round(label.get_value(), 2) for label in scene.part("chart").value_labels] == [0.37, 0.27, 0.22, 0.14]
    # Every distribution the bars print adds to 1.00 (the next slide says so).
    all_printed = scene.part("printed")
    assert len(all_printed) == 1 + len(params.steps)
    for printed in all_printed:
        assert sum(round(float(v) * 100) for v in printed) == 100, printed
    # The first step is the shared prompt's: 7.389 2.718 1.105 / 11.212, as logits-softmax prints it.
    assert all_printed[0] == ["0.66", "0.24", "0.10"]
    # The bars add to 1.00, so the screen says what the vocabulary is: the shared note, then the slide's.
    assert scene.part("notes") == [params.next_word.vocabulary_note] + [params.note] * len(params.steps)
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide("probability-chain"))
    assert scene.layout_findings == []


def test_changed_steps_change_the_sentence(tmp_path):
    shared = {**NEXT_WORD, "prompt": "天氣", "words": ["很", "不"], "logits": [1.0, 2.0]}
    params = {"prompt": "今天天氣", "first_pick": "不", "note": "示意", "next_word": shared,
              "steps": [{"words": ["冷", "熱"], "logits": [2.0, 1.0], "pick": "冷"}]}
    scene = render_last_frame("probability-chain", tmp_path, params=params)
    assert visible_text(scene) == "今天天氣不冷"
    # e / (e + 1) = 0.731: printed 0.73 0.27
    assert [round(label.get_value(), 2) for label in scene.part("chart").value_labels] == [0.73, 0.27]
    assert scene.part("printed")[0] == ["0.27", "0.73"]


def test_a_prompt_that_does_not_end_with_the_shared_one_fails_check_with_its_line(tmp_path, capsys):
    project = copy_project(tmp_path)
    script = project / "script.yaml"
    prompt = f"prompt: {lecture().slide('probability-chain').params.prompt}"
    edit(script, prompt, "prompt: 夕陽無限好，只是近黃昏")        # the shared prompt ends with 我
    lines = script.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "prompt: 夕陽無限好，只是近黃昏" in text)
    column = lines[line - 1].index("夕") + 1
    assert main(["check", "--script", str(script)]) == 2
    err = capsys.readouterr().err
    assert f"{script}:{line}:{column}: slide 'probability-chain': params.prompt 「夕陽無限好，只是近黃昏」 must end " \
           "with the top-level next_word.prompt 「只是近黃昏，我」" in err, err


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("probability-chain", tmp_path)
