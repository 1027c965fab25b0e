"""Slide 'brain-resources': its steps, the N-back bars and the 示意 label on illustrative data."""

from __future__ import annotations

import pytest

from explainer.scenekit.layout import text_objects, visible
from explainer.script.load import declared_steps
from explainer.script.model import plain
from scene_texts import _as_string, all_texts, texts_seen
from scenes_support import assert_renders_cleanly, lecture, scene_class
from specs.brain_resources import nback_bars


def params():
    return plain(lecture().slide("brain-resources").params)


def test_nback_bars_label_each_n_with_its_accuracy():
    assert nback_bars([1, 2, 3, 4], [0.95, 0.82, 0.64, 0.5]) == [
        ("N=1", 0.95, "95%"), ("N=2", 0.82, "82%"), ("N=3", 0.64, "64%"), ("N=4", 0.5, "50%")]


@pytest.fixture(scope="module")
def scripted(tmp_path_factory):
    """The slide with its scripted params, rendered once for this file: the scene, the texts after
    each play, and the texts on screen as each step ends (while the end of its narration is said)."""
    cls = scene_class("brain-resources")
    ends: dict[str, set[str]] = {}
    original = cls.finish_step

    def recorded(self):
        if self.step_marks:
            ends[self.step_marks[-1][0]] = {_as_string(m) for m in text_objects(self.mobjects) if visible(m)}
        original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cls, "finish_step", recorded)
        scene, snapshots = texts_seen("brain-resources", tmp_path_factory.mktemp("seen"), patch)
    return scene, snapshots, ends


def test_scene_walks_the_steps_and_marks_illustrative_data(scripted):
    scene, snapshots, _ = scripted
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide("brain-resources"))
    seen = all_texts(snapshots)
    labels = params()["labels"]
    assert {k["name"] for k in params()["kinds"]} <= seen
    assert str(params()["capacity"]) in seen               # the magic number
    # The N-back drop is read as a hypothesis, on screen.
    assert "".join(line.original_text for line in scene.part("hypothesis")) == labels["hypothesis"]
    assert {line.original_text for line in scene.part("hypothesis")} <= seen
    # The slide ends on the outline's conclusion, beside the brain's slots and the (示意) chart.
    last = set(snapshots[-1])
    assert "".join(line.original_text for line in scene.part("conclusion")) == labels["conclusion"]
    assert {line.original_text for line in scene.part("conclusion")} <= last
    assert {labels["brain"].format(n=params()["capacity"]), labels["machine"]} <= last
    assert labels["illustrative"] in snapshots[-1]           # the chart stays labelled 示意
    assert {"95\\%", "50\\%", "N=1", "N=4"} <= seen       # the chart's numbers, before it shrinks
    assert scene.layout_findings == []


def test_each_picture_stays_while_its_words_are_said(scripted):
    data = params()
    ends = scripted[2]
    bullets = lecture().slide("brain-resources").bullets
    # The definition is still on screen when its step ends, and stays beside its function.
    assert any(line and line in bullets[0] for line in ends["definition"])
    assert any(line and line in bullets[1] for line in ends["resources"])
    assert any(line and line in bullets[0] for line in ends["resources"])
    # One step per kind: its card (and every earlier one) is on screen when the step ends.
    for index in range(len(data["kinds"])):
        shown = ends[f"kind-{index + 1}"]
        assert {k["name"] for k in data["kinds"][:index + 1]} <= shown
        assert not {k["name"] for k in data["kinds"][index + 1:]} & shown
    # No step ends on a screen emptied of its content (only the title left).
    title = lecture().slide("brain-resources").title
    assert all(shown - {title} for shown in ends.values())


def test_kind_names_and_the_conclusion_take_no_meaning_colour(scripted):
    scene = scripted[0]
    theme = lecture().theme
    assert all(line.color.to_hex().lower() == theme.text.lower() for line in scene.part("conclusion"))
    names = scene.part("kind_names")
    assert [name.original_text for name in names] == [k["name"] for k in params()["kinds"]]
    assert all(name.color.to_hex().lower() == theme.text.lower() for name in names)


def test_real_data_has_no_illustrative_label_and_new_numbers_show(tmp_path, monkeypatch):
    data = params()
    data["nback"] = {"n": [1, 2, 3], "accuracy": [0.9, 0.7, 0.3], "illustrative": False}
    data["capacity"] = 5
    _, snapshots = texts_seen("brain-resources", tmp_path, monkeypatch, params=data)
    assert not any(data["labels"]["illustrative"] in s for s in snapshots)
    assert {"90\\%", "30\\%", "N=3"} <= all_texts(snapshots)
    assert "5" in all_texts(snapshots)


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("brain-resources", tmp_path)
