"""Slide 'attention-comparison': every facet row is shown, human beside machine."""

from __future__ import annotations

from explainer.script.model import plain
from scene_texts import texts_seen
from scenes_support import assert_renders_cleanly, lecture


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_every_facet_is_shown_row_by_row(tmp_path, monkeypatch):
    params = plain(lecture().slide("attention-comparison").params)
    scene, snapshots = texts_seen("attention-comparison", tmp_path, monkeypatch)
    assert [name for name, *_ in scene.step_marks] == ["columns", "facet-1", "facet-2", "facet-3", "summary"]
    final = squeezed("".join(snapshots[-1]))                 # the whole table at the end
    for index, facet in enumerate(params["facets"]):
        for text in (f"{index + 1}. {facet['name']}", facet["human"], facet["machine"]):
            assert squeezed(text) in final, text
    assert squeezed(params["human"]) in final and squeezed(params["machine"]) in final   # the column headings
    assert lecture().slide("attention-comparison").title in snapshots[-1]


def test_changed_facet_changes_the_table(tmp_path, monkeypatch):
    params = plain(lecture().slide("attention-comparison").params)
    params["facets"] = params["facets"][:2]
    params["facets"][1]["machine"] = "只看數據"
    scene, snapshots = texts_seen("attention-comparison", tmp_path, monkeypatch, params=params)
    assert [name for name, *_ in scene.step_marks][-1] == "summary"
    assert len(scene.part("rows_shown")) == 2
    assert "只看數據" in snapshots[-1]


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("attention-comparison", tmp_path)
