"""Slide 'brain-resources': its steps, the N-back bars and the 示意 label on illustrative data."""

from __future__ import annotations

from explainer.script.model import plain
from scene_texts import all_texts, texts_seen
from scenes_support import assert_renders_cleanly, lecture, scene_class


def params():
    return plain(lecture().slide("brain-resources").params)


def test_nback_bars_label_each_n_with_its_accuracy():
    bars = __import__(scene_class("brain-resources").__module__).nback_bars
    assert bars([1, 2, 3, 4], [0.95, 0.82, 0.64, 0.5]) == [
        ("N=1", 0.95, "95%"), ("N=2", 0.82, "82%"), ("N=3", 0.64, "64%"), ("N=4", 0.5, "50%")]


def test_scene_walks_the_steps_and_marks_illustrative_data(tmp_path, monkeypatch):
    scene, snapshots = texts_seen("brain-resources", tmp_path, monkeypatch)
    assert [name for name, *_ in scene.step_marks] == ["definition", "kinds", "capacity", "serial", "nback",
                                                        "conclusion"]
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
