"""qkv-analogy: query typed, titles scored, softmax weights adding to 1, every page mixed in by its weight."""

from __future__ import annotations

import pytest

from explainer.script.model import plain
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.qkv_analogy import relevance_weights, segment_spans, shown_weights

SLIDE = "qkv-analogy"


def test_weights_are_the_softmax_of_the_scores_and_add_to_one():
    # e^2, e^0.8, e^0.1 = 7.389, 2.226, 1.105; sum 10.720
    assert list(relevance_weights([2.0, 0.8, 0.1])) == pytest.approx([0.689, 0.208, 0.103], abs=5e-4)
    assert list(shown_weights([2.0, 0.8, 0.1])) == [0.69, 0.21, 0.10]
    # Equal scores: a third each; printed 0.34 / 0.33 / 0.33 so the column still adds to 1.00.
    assert list(shown_weights([1.0, 1.0, 1.0])) == [0.34, 0.33, 0.33]


def test_segments_split_the_answer_by_weight():
    spans = segment_spans([0.5, 0.3, 0.2], -5.0, 10.0)
    assert [x for span in spans for x in span] == pytest.approx([-5.0, 0.0, 0.0, 3.0, 3.0, 5.0])


def test_scene_shows_weights_summing_to_one_and_mixes_every_page(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    params = lecture().slide(SLIDE).params
    assert scene.part("query").original_text == params.query
    assert [row[1].original_text for row in scene.part("rows")] == [r.title for r in params.results]
    assert [page[1].original_text for page in scene.part("pages")] == [r.content for r in params.results]
    shown = [round(n.get_value(), 2) for n in scene.part("numbers")]
    assert shown == [0.69, 0.21, 0.10]
    total = scene.part("total")
    assert round(total[1].get_value(), 2) == 1.0 and total[0].original_text == params.labels.total
    # Every page contributes to the answer, in proportion to its weight (none is dropped).
    assert [round(s.get_value(), 2) for s in scene.part("shares")] == shown
    widths = [segment.width + 0.04 for segment in scene.part("segments")]
    assert [w / sum(widths) for w in widths] == pytest.approx(shown, abs=0.01)
    assert {k: tag[1].original_text for k, tag in scene.part("tags").items()} == plain(params.roles)
    theme = lecture().theme
    assert scene.part("query").get_color().to_hex().upper() == theme.query.upper()
    assert scene.part("rows")[0][1].get_color().to_hex().upper() == theme.key.upper()
    assert scene.part("pages")[0][1].get_color().to_hex().upper() == theme.value.upper()
    assert scene.layout_findings == []


def test_changed_scores_change_the_weights(tmp_path):
    params = plain(lecture().slide(SLIDE).params)
    params["results"][0]["score"], params["results"][1]["score"] = 0.5, 1.5
    scene = render_last_frame(SLIDE, tmp_path, params=params)
    # e^0.5, e^1.5, e^0.1 = 1.649, 4.482, 1.105; sum 7.236 → .228 .619 .153
    assert [round(n.get_value(), 2) for n in scene.part("numbers")] == [0.23, 0.62, 0.15]
    assert scene.layout_findings == []


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("qkv-analogy", tmp_path)
