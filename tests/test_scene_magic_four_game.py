"""Slide 'magic-four-game': seeded draw, a distractor that blocks rehearsal, and a careful takeaway."""

from __future__ import annotations

from explainer.script.load import declared_steps
from explainer.script.model import plain
from scene_texts import all_texts, texts_seen
from scenes_support import assert_renders_cleanly, lecture
from specs.magic_four_game import backward_count, beats_in, draw_items

SLIDE = "magic-four-game"


def params() -> dict:
    return plain(lecture().slide(SLIDE).params)


def test_same_seed_same_items_other_seed_other_items():
    pool = params()["pool"]
    first, again = draw_items(pool, 8, 4), draw_items(pool, 8, 4)
    assert first == again
    assert len(set(first)) == 8 and set(first) <= set(pool)
    assert draw_items(pool, 8, 5) != first
    # numpy default_rng(4).choice(16, 8, replace=False) = [6, 14, 1, 10, 13, 9, 12, 11]
    assert first == [pool[i] for i in (6, 14, 1, 10, 13, 9, 12, 11)]


def test_backward_count_by_hand():
    assert backward_count(100, 3, 4) == [100, 97, 94, 91]
    assert beats_in(8.0) == 8 and beats_in(2.5) == 2 and beats_in(0.4) == 1


def test_scene_blocks_rehearsal_and_ends_on_a_careful_takeaway(tmp_path, monkeypatch):
    p = params()
    scene, snapshots = texts_seen(SLIDE, tmp_path, monkeypatch)
    items = draw_items(p["pool"], p["count"], p["seed"])
    assert scene.part("items") == items
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide(SLIDE))
    seen = all_texts(snapshots)
    assert {"3", "2", "1"} <= seen                      # the countdown
    # Counting backwards from the params: 100, 97, ... one number per second of the distractor.
    d = p["distractor"]
    counted = scene.part("counted")
    assert counted == [d["start"] - i * d["step"] for i in range(int(d["seconds"]))]
    assert {str(n) for n in counted} <= seen
    assert p["prompts"]["distract"].format(start=d["start"], step=d["step"]) in seen
    # While counting and while recalling, none of the words is on screen.
    blank = [s for s in snapshots if p["prompts"]["recall"] in s or str(counted[-1]) in s]
    assert blank and all(not set(items) & set(s) for s in blank)
    assert set(items) <= set(snapshots[-1])             # revealed at the end
    low, high = p["recall_range"]["low"], p["recall_range"]["high"]
    takeaway, chunks = scene.part("takeaway").original_text, scene.part("chunks").original_text
    assert takeaway == p["prompts"]["takeaway"].format(low=low, high=high)
    assert chunks == p["prompts"]["chunks"].format(n=p["typical_recall"])
    assert {takeaway, chunks} <= set(snapshots[-1])
    assert scene.layout_findings == []


def test_another_seed_shows_other_items(tmp_path, monkeypatch):
    data = params()
    data["seed"] = 11
    scene, snapshots = texts_seen(SLIDE, tmp_path, monkeypatch, params=data)
    expected = draw_items(data["pool"], 8, 11)
    assert scene.part("items") == expected != draw_items(data["pool"], 8, 4)
    assert set(expected) <= set(snapshots[-1])


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("magic-four-game", tmp_path)
