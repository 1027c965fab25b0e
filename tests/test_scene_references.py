"""Slide 'references': every entry (title, concept, full link) is shown, a page at a time."""

from __future__ import annotations

from explainer.script.load import declared_steps
from explainer.script.model import Params, plain
from scene_texts import texts_seen
from scenes_support import assert_renders_cleanly, lecture
from specs.references import SPEC, paginate


def entries():
    return plain(lecture().slide("references").params)["entries"]


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_paginate_splits_into_pages_of_the_given_size():
    assert paginate(list(range(9)), 3) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert paginate(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
    # One step per page: 5 entries at 2 a page are 3 pages.
    five = Params({"entries": [{"title": "t", "concept": "c", "link": "l"}] * 5, "per_page": 2})
    assert SPEC.step_names(five, ()) == ["title", "page-1", "page-2", "page-3"]


def test_every_entry_is_shown_across_the_pages(tmp_path, monkeypatch):
    scene, snapshots = texts_seen("references", tmp_path, monkeypatch)
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide("references"))
    pages_text = [squeezed("".join(s)) for s in snapshots]
    for entry in entries():
        # Titles may wrap over lines; links are one text, shown in full.
        assert any(squeezed(entry["title"]) in page for page in pages_text), entry["title"]
        assert any(entry["concept"] in s for s in snapshots), entry["concept"]
        assert any(entry["link"] in s for s in snapshots), entry["link"]
    assert [len(page) for page in scene.part("pages_shown")] == [3, 3, 3]


def test_per_page_changes_the_pagination(tmp_path, monkeypatch):
    params = plain(lecture().slide("references").params)
    params["per_page"] = 2
    params["entries"] = params["entries"][:5]
    scene, _ = texts_seen("references", tmp_path, monkeypatch, params=params)
    assert [len(page) for page in scene.part("pages_shown")] == [2, 2, 1]
    assert [name for name, *_ in scene.step_marks][-3:] == ["page-1", "page-2", "page-3"]


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("references", tmp_path)
