"""transformer-intro: the reader walks the tokens one by one; self-attention links every pair at once."""

from __future__ import annotations

from scenes_support import assert_renders_cleanly, lecture, render_last_frame, scene_class

SLIDE = "transformer-intro"


def texts(group) -> list[str]:
    return [token[1].original_text for token in group]


def test_every_pair_of_tokens_is_linked():
    module = __import__(scene_class(SLIDE).__module__)
    assert module.token_pairs(4) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    assert len(module.token_pairs(6)) == 15  # 6·5/2


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
    assert [s for s, *_ in scene.step_marks][-4:] == ["title", "sequential", "attention", "bullets"]


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
