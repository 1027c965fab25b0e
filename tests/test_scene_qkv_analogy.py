"""qkv-analogy: query typed, titles scored for relevance, the best match's content pulled out."""

from __future__ import annotations

import sys

from scenes_support import lecture, render_last_frame, scene_class

SLIDE = "qkv-analogy"


def module():
    return sys.modules[scene_class(SLIDE).__module__]


def text_of(paragraph) -> str:
    return "".join(line.original_text for line in paragraph)


def test_best_match_is_the_most_relevant_title():
    assert module().best_match([0.9, 0.35, 0.15]) == 0
    assert module().best_match([0.2, 0.7, 0.5]) == 1


def test_scene_shows_relevances_and_best_content(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    params = lecture().slide(SLIDE).params
    assert scene.query.original_text == params.query
    assert [row[1].original_text for row in scene.rows] == [r.title for r in params.results]
    assert [round(n.get_value(), 2) for n in scene.numbers] == [0.9, 0.35, 0.15]
    assert text_of(scene.content) == params.results[0].content
    assert {k: tag[1].original_text for k, tag in scene.tags.items()} == dict(params.roles)
    # Colours keep their roles: query yellow, keys teal, value pink-red.
    theme = lecture().theme
    assert scene.query.get_color().to_hex().upper() == theme.query.upper()
    assert scene.rows[0][1].get_color().to_hex().upper() == theme.key.upper()
    assert scene.content[0].get_color().to_hex().upper() == theme.value.upper()


def test_changed_relevance_changes_which_page_is_read(tmp_path):
    params = dict(lecture().slide(SLIDE).params)
    results = [dict(r) for r in params["results"]]
    results[0]["relevance"], results[1]["relevance"] = 0.2, 0.8
    params["results"] = results
    scene = render_last_frame(SLIDE, tmp_path, params=params)
    assert scene.best == 1
    assert [round(n.get_value(), 2) for n in scene.numbers] == [0.2, 0.8, 0.15]
    assert text_of(scene.content) == results[1]["content"]
    assert scene.layout_findings == []
