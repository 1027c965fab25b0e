"""Slide 'attention-comparison': every facet row is shown, human beside machine."""

from __future__ import annotations

from explainer.script.load import declared_steps
from explainer.script.model import plain
from scene_texts import texts_seen
from scenes_support import assert_renders_cleanly, lecture


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_every_facet_is_shown_row_by_row(tmp_path, monkeypatch):
    params = plain(lecture().slide("attention-comparison").params)
    scene, snapshots = texts_seen("attention-comparison", tmp_path, monkeypatch)
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide("attention-comparison"))
    final = squeezed("".join(snapshots[-1]))                 # the whole table at the end
    for index, facet in enumerate(params["facets"]):
        for text in (f"{index + 1}. {facet['name']}", facet["human"], facet["machine"]):
            assert squeezed(text) in final, text
    assert squeezed(params["human"]) in final and squeezed(params["machine"]) in final   # the column headings
    assert lecture().slide("attention-comparison").title in snapshots[-1]


def test_the_path_facet_does_not_use_bidirectional_or_unidirectional():
    # 雙向 / 單向 name BERT and GPT's attention; the human-vs-machine facet uses other words, and
    # nothing says every element is seen by every other.
    slide = lecture().slide("attention-comparison")
    shown = " ".join(f"{f['name']} {f['human']} {f['machine']}" for f in plain(slide.params)["facets"])
    said = " ".join(segment.text for segment in slide.narration)
    for word in ("雙向", "單向", "所有元素"):
        assert word not in shown and word not in said, word


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
