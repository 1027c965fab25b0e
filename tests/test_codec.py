"""The record codec (explainer/codec.py): fields by name both ways, old files still load, errors say where."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from explainer.codec import CodecError, decode, encode, read_record, write_record
from explainer.deliver.exports import ExportRecord
from explainer.job.request import RenderRequest, StepMark
from explainer.job.task import RenderTask
from explainer.media.presets import PRESETS
from explainer.pipeline.records import Sidecar, SpokenSegment, StoredClip
from explainer.pipeline.stitch import StitchState
from explainer.script.load import load_lecture
from explainer.script.model import Params, Slide
from explainer.script.theme import Theme

ROOT = Path(__file__).resolve().parents[1]


class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True)
class Inner:
    name: str
    weight: float = 1.0


@dataclass(frozen=True)
class Outer:
    inner: Inner
    items: tuple[Inner, ...]
    span: tuple[int, int | None]
    names: list[str]
    by_name: dict[str, Inner]
    where: Path
    colour: Colour
    free: Any
    tags: frozenset[str]
    maybe: Inner | None = None
    extra: dict[str, int] = field(default_factory=dict)


SAMPLE = Outer(Inner("a"), (Inner("b", 2.5),), (1, None), ["x"], {"k": Inner("c")}, Path("/tmp/x.mp4"), Colour.BLUE,
               {"any": [1, {"thing": None}]}, frozenset({"z", "y"}))


def test_a_record_is_written_by_field_name_and_read_back_equal():
    data = encode(SAMPLE)
    assert data == {
        "inner": {"name": "a", "weight": 1.0}, "items": [{"name": "b", "weight": 2.5}], "span": [1, None],
        "names": ["x"], "by_name": {"k": {"name": "c", "weight": 1.0}}, "where": "/tmp/x.mp4", "colour": "blue",
        "free": {"any": [1, {"thing": None}]}, "tags": ["y", "z"], "maybe": None, "extra": {},
    }
    assert decode(Outer, json.loads(json.dumps(data))) == SAMPLE


def test_unknown_keys_are_ignored_and_missing_fields_take_their_defaults():
    data = encode(SAMPLE)
    data["added_by_a_newer_writer"] = 1
    data["inner"] = {"name": "a", "also_new": True}   # weight left out: its default
    del data["maybe"], data["extra"]
    assert decode(Outer, data) == SAMPLE


def test_a_missing_required_field_names_the_record_and_the_field():
    data = encode(SAMPLE)
    del data["items"][0]["name"]
    with pytest.raises(CodecError, match=r"Outer\.items\[0\]: missing 'name', a required field of Inner"):
        decode(Outer, data)
    with pytest.raises(CodecError, match=r"StepMark: missing 'frame', a required field of StepMark"):
        decode(StepMark, {"name": "a", "start": 0.0})


def test_a_value_of_the_wrong_kind_says_where_and_what_was_expected():
    cases = [("where", 3, r"Outer\.where: expected a string, got an integer"),
             ("span", [1, 2, 3], r"Outer\.span: expected 2 items, got 3"),
             ("colour", "green", r"Outer\.colour: 'green' is not one of \['red', 'blue'\]"),
             ("names", "x", r"Outer\.names: expected an array"),
             ("inner", {"name": "a", "weight": True}, r"Outer\.inner\.weight: expected a number, got a boolean")]
    for key, value, message in cases:
        data = encode(SAMPLE) | {key: value}
        with pytest.raises(CodecError, match=message):
            decode(Outer, data)
    with pytest.raises(CodecError, match=r"StepMark\.frame: expected an integer, got a boolean"):
        decode(StepMark, {"name": "a", "start": 0, "frame": True})
    assert decode(StepMark, {"name": "a", "start": 0, "frame": 3}).start == 0.0   # JSON's 0 is a float's 0.0


def test_every_slide_and_the_theme_travel_with_their_params():
    lecture = load_lecture(ROOT / "script.yaml")
    for slide in lecture.slides:
        again = decode(Slide, json.loads(json.dumps(encode(slide), ensure_ascii=False)))
        assert again == slide and isinstance(again.params, Params), slide.id
        assert again.on_screen_data() == slide.on_screen_data(), slide.id
    assert any(s.example is not None for s in lecture.slides), "the shared example travels too"
    assert decode(Theme, encode(lecture.theme)) == lecture.theme
    assert encode(lecture.theme) == lecture.theme.as_key_data()   # what requests carried before the codec


# Files as the code before the codec wrote them (trimmed): a render's caches must still load, or
# every slide would be published (or rendered) again.
OLD_STORE_META = """{"slide": "a-one", "frames": 30, "duration": 2.0,
  "probe": {"spec": {"codec": "h264", "width": 854, "height": 480, "pix_fmt": "yuv420p", "fps": "15",
                     "time_base": "1/15360"}, "frames": 30, "duration": 2.0},
  "steps": [{"name": "chapter", "start": 0.0, "frame": 0, "animation": 0}], "size": 12345,
  "render_seconds": 4.5, "peak_memory_mb": null}"""
OLD_SIDECAR = """{"key": "k1", "inputs": {"slide": "abc", "code": {"scenes/a.py": "def"}}, "clip_size": 12400,
  "clip_mtime_ns": 1700000000000000000, "frames": 30, "duration": 2.0,
  "steps": [{"name": "chapter", "start": 0.0, "frame": 0, "animation": 0}], "audio_key": "a1", "publish_key": "p1",
  "track": "/m/.cache/tracks/a1.npy",
  "segments": [{"step": "chapter", "text": "你好", "start": 0.2, "seconds": 1.1, "voice": "draft"}]}"""
OLD_EXPORT_STATE = """{"export_key": "e1", "steps": [{"name": "chapter", "start": 0.0, "frames": 30}],
  "poster_frame": 29, "sizes": {"clip.webm": 100, "poster.png": 50}}"""
OLD_STITCH_STATE = """{"inputs": "i1", "size": 999, "mtime_ns": 17, "frames": 30, "duration": 2.0}"""


def test_files_the_code_before_the_codec_wrote_still_load():
    stored = decode(StoredClip, json.loads(OLD_STORE_META))
    assert (stored.frames, stored.size, stored.steps[0].animation, stored.probe.spec.fps) == (30, 12345, 0, "15")
    sidecar = decode(Sidecar, json.loads(OLD_SIDECAR))
    assert sidecar.track == Path("/m/.cache/tracks/a1.npy") and sidecar.inputs["code"] == {"scenes/a.py": "def"}
    assert sidecar.segments == (SpokenSegment("chapter", "你好", 0.2, 1.1, "draft"),)   # before `spoken`
    record = decode(ExportRecord, json.loads(OLD_EXPORT_STATE))
    assert (record.steps[0].frames, record.poster_frame, record.sizes["poster.png"]) == (30, 29, 50)
    assert decode(StitchState, json.loads(OLD_STITCH_STATE)).frames == 30
    # A clip from before tails ends on its last step.
    assert stored.outro is None and sidecar.outro is None and sidecar.steps_end == sidecar.frames == 30
    # ... and are written back under the same names (a segment now says what was spoken, too, and a
    # sidecar where the clip's tail begins: null here).
    added = {Sidecar: {"outro"}}
    for text, kind in ((OLD_SIDECAR, Sidecar), (OLD_EXPORT_STATE, ExportRecord), (OLD_STITCH_STATE, StitchState)):
        old = json.loads(text)
        again = encode(decode(kind, old))
        assert set(again) == set(old) | added.get(kind, set()), kind
        assert all(again[k] == old[k] for k in old if k != "segments"), kind
        assert all(again[k] is None for k in added.get(kind, ())), kind
    assert encode(sidecar.segments[0]) == json.loads(OLD_SIDECAR)["segments"][0] | {"spoken": ""}


def test_read_record_treats_a_missing_or_foreign_file_as_absent(tmp_path):
    path = tmp_path / "state.json"
    assert read_record(StitchState, path) is None
    path.write_text('{"inputs": "i1"}', encoding="utf-8")
    assert read_record(StitchState, path) is None
    state = StitchState("i1", 1, 2, 3, 0.2)
    assert write_record(path, state) and read_record(StitchState, path) == state
    assert not write_record(path, state, only_if_changed=True)


def test_a_cluster_task_crosses_to_the_worker_as_json_and_arrives_whole():
    lecture = load_lecture(ROOT / "script.yaml")
    slide = lecture.slide("multi-head")
    request = RenderRequest.for_slide(lecture.path, slide, lecture.theme, ROOT / "scenes" / "multi_head.py",
                                      PRESETS["draft"], Path("/tmp/manim"), piece=(2, None))
    task = RenderTask("explainer-render-k", request, {"scenes/multi_head.py": "class MultiHead: ..."},
                      "scenes/multi_head.py", None, {"modules": {"explainer/codec.py": "abc"}})
    assert decode(RenderTask, json.loads(json.dumps(encode(task), ensure_ascii=False))) == task


def test_a_type_the_codec_does_not_know_is_refused_when_written():
    with pytest.raises(CodecError, match="cannot encode a complex"):
        encode(Inner("a", 1j))  # type: ignore[arg-type]
