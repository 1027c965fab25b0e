"""next-word-title: the sentence typed out, a gap after it, candidates hovering over the gap."""

from __future__ import annotations

import numpy as np

from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.next_word_title import candidate_offsets

SLIDE = "next-word-title"


def test_candidates_spread_above_the_gap():
    offsets = candidate_offsets(3, radius=1.0)
    assert all(o[1] > 0 for o in offsets)                     # all above
    assert offsets[0][0] < offsets[1][0] < offsets[2][0]     # left to right
    np.testing.assert_allclose(offsets[1], [0.0, 1.0, 0.0], atol=1e-9)  # the middle one straight up


def test_scene_ends_with_sentence_gap_and_candidates(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    params = lecture().slide(SLIDE).params
    sentence, gap, cursor, candidates = (scene.part(name) for name in ("sentence", "gap", "cursor", "candidates"))
    assert sentence.original_text == params.sentence
    assert len(sentence) == len(params.sentence)        # every character was typed
    assert gap.get_left()[0] > sentence.get_right()[0]
    assert gap.get_left()[0] < cursor.get_x() < gap.get_right()[0]
    assert len(candidates) == 3
    assert all(c.get_bottom()[1] > gap.get_top()[1] for c in candidates)


def test_changed_sentence_changes_the_scene(tmp_path):
    params = dict(lecture().slide(SLIDE).params)
    params.update(sentence="床前明月光，疑是")
    scene = render_last_frame(SLIDE, tmp_path, params=params)
    assert scene.part("sentence").original_text == "床前明月光，疑是"
    assert len(scene.part("sentence")) == 8
    assert scene.layout_findings == []


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("next-word-title", tmp_path)
