"""Slide 'magic-four-game': the seeded draw is reproducible and the scene flashes and reveals it."""

from __future__ import annotations

from explainer.script.model import plain
from scene_texts import all_texts, texts_seen
from scenes_support import lecture, scene_class

POOL = ["貓", "雨傘", "鑰匙", "蘋果", "時鐘", "書本", "眼鏡", "吉他", "手機", "雨鞋", "帽子", "杯子"]


def module():
    return __import__(scene_class("magic-four-game").__module__)


def test_same_seed_same_items_other_seed_other_items():
    draw = module().draw_items
    first, again = draw(POOL, 7, 4), draw(POOL, 7, 4)
    assert first == again
    assert len(set(first)) == 7 and set(first) <= set(POOL)
    assert draw(POOL, 7, 5) != first
    # The script's seed 4 draws these (numpy default_rng(4).choice(12, 7, replace=False)).
    assert first == ["杯子", "帽子", "雨鞋", "眼鏡", "手機", "吉他", "時鐘"]


def test_scene_flashes_the_drawn_items_and_ends_on_the_takeaway(tmp_path, monkeypatch):
    scene, snapshots = texts_seen("magic-four-game", tmp_path, monkeypatch)
    items = module().draw_items(POOL, 7, 4)
    assert scene.items == items
    steps = [name for name, *_ in scene.step_marks]
    assert steps == ["countdown", "flash", "recall", "reveal", "takeaway"]
    seen = all_texts(snapshots)
    assert {"3", "2", "1"} <= seen                      # the countdown
    assert set(items) <= set(snapshots[-1])             # revealed at the end
    assert "大多數人大約只記得 4 個" in snapshots[-1]
    # The blank pause shows none of the items.
    recall = [s for s in snapshots if "東西不見了，在心裡回想：你記得哪些？" in s]
    assert recall and all(not set(items) & set(s) for s in recall)


def test_another_seed_shows_other_items(tmp_path, monkeypatch):
    params = plain(lecture().slide("magic-four-game").params)
    params["seed"] = 11
    scene, snapshots = texts_seen("magic-four-game", tmp_path, monkeypatch, params=params)
    expected = module().draw_items(POOL, 7, 11)
    assert scene.items == expected != module().draw_items(POOL, 7, 4)
    assert set(expected) <= set(snapshots[-1])
