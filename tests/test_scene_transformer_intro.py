"""transformer-intro: the reader walks the tokens one by one; self-attention processes the whole sentence at
once, drawn as the encoder / BERT (every pair linked), with a note that GPT-style next-word models see
only earlier words."""

from __future__ import annotations

from explainer.script.load import declared_steps
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.transformer_intro import token_pairs

SLIDE = "transformer-intro"


def texts(group) -> list[str]:
    return [token[1].original_text for token in group]


def test_every_pair_of_tokens_is_linked():
    assert token_pairs(4) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    assert len(token_pairs(6)) == 15  # 6·5/2


def test_scene_ends_with_both_readers_and_the_bullets(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    params = lecture().slide(SLIDE).params
    reader_tokens = scene.part("reader_tokens")
    assert texts(reader_tokens) == list(params.tokens)
    assert len(scene.part("attention_links")) == 6
    # The reader has moved on: every token but the last has faded from its memory.
    opacities = [token[1].get_fill_opacity() for token in reader_tokens]
    assert all(o < 0.5 for o in opacities[:-1]) and opacities[-1] > 0.9
    assert scene.part("origin")[0].original_text == str(params.year)
    assert len(scene.part("bullets")) == 3
    # The all-to-all arcs are named as the encoder's / BERT's; GPT-style models see only earlier words.
    note = [line.original_text for line in scene.part("attention_note")]
    assert note == list(params.attention_note)
    assert "BERT" in note[0] and "GPT" in note[1] and "前面" in note[1]
    assert [s for s, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide(SLIDE))


def test_the_narration_says_which_attention_sees_the_whole_sentence():
    slide = lecture().slide(SLIDE)
    said = [segment.text for segment in slide.narration if segment.step in ("attention", "note")]
    whole = [text for text in said if "整句" in text and "所有詞" in text]
    # Every word linked to every other is said of the encoder / BERT, and the next-word models
    # (GPT) are said to see only the words before (the causal-mask slide explains it).
    assert whole and all("BERT" in text for text in whole)
    assert any("GPT" in text and "前面" in text and "因果遮罩" in text for text in said)
    assert "一次看見" not in slide.bullets[2]


def test_changed_tokens_change_the_scene(tmp_path):
    params = dict(lecture().slide(SLIDE).params)
    params.update(tokens=["貓", "追", "球"], year=2018)
    scene = render_last_frame(SLIDE, tmp_path, params=params)
    assert texts(scene.part("reader_tokens")) == ["貓", "追", "球"]
    assert len(scene.part("attention_links")) == 3
    assert scene.part("origin")[0].original_text == "2018"
    assert scene.layout_findings == []


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("transformer-intro", tmp_path)
