"""manifest.json is a versioned, typed contract: version 1 files are read, newer ones are refused."""

from __future__ import annotations

import json

import pytest

from explainer.codec import decode, encode
from explainer.deliver.contract import MANIFEST_VERSION, Manifest, ManifestOutro, ManifestStep, read_manifest
from explainer.errors import MediaError

# A manifest as explainer wrote it before it had a version: keys with no value left out (the stale
# slide's steps, a slide's exports when they failed), segments without `spoken`.
V1 = """{
  "quality": "draft",
  "slides": [
    {"id": "a-one", "chapter": "alpha", "scene": "FixtureBullets", "title": "注意力", "key": "k1",
     "rendered": true, "clip": "clips/a-one.mp4", "frames": 30, "duration": 2.0, "stale": false,
     "steps": [{"name": "title", "start": 0.0, "frames": 30, "clip": "steps/a-one/01.mp4",
                "still": "steps/a-one/01.png",
                "segments": [{"step": "title", "text": "你好", "start": 0.2, "seconds": 1.1, "voice": "draft"}]}],
     "narration": [{"step": "title", "text": "你好", "start": 0.2, "seconds": 1.1, "voice": "draft"}],
     "webm": "clips/a-one.webm", "poster": "clips/a-one.png",
     "subtitles": {"vtt": "subtitles/a-one.vtt", "srt": "subtitles/a-one.srt"}},
    {"id": "a-two", "chapter": "alpha", "scene": "FixtureFormula", "title": "公式", "key": "k2",
     "rendered": false, "clip": "clips/a-two.mp4", "frames": 15, "duration": 1.0, "stale": false,
     "steps": [{"name": "formula", "start": 0.0}], "narration": []},
    {"id": "b-one", "chapter": "beta", "scene": "FixtureBullets", "title": "溫度", "key": null,
     "rendered": false, "clip": null, "frames": null, "duration": null, "stale": true}
  ],
  "chapters": [
    {"id": "alpha", "title": "第一章", "video": "chapters/alpha.mp4", "frames": 45, "duration": 3.0,
     "slides": ["a-one", "a-two"], "stale": false, "subtitles": {"vtt": "subtitles/alpha.vtt", "srt": "subtitles/alpha.srt"}},
    {"id": "beta", "title": "第二章", "video": null, "frames": null, "duration": null, "slides": ["b-one"],
     "stale": true, "subtitles": null}
  ],
  "lecture": {"video": null, "frames": null, "duration": null, "stale": true, "subtitles": null}
}"""


def test_a_version_1_manifest_is_read(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(V1, encoding="utf-8")
    manifest = read_manifest(path)
    assert manifest.version == 1 and manifest.quality == "draft"
    one, two, three = manifest.slides
    assert one.steps[0].still == "steps/a-one/01.png" and one.steps[0].segments[0].spoken == ""
    assert one.narration[0].text == "你好" and one.subtitles is not None and one.subtitles.srt == "subtitles/a-one.srt"
    assert two.steps[0].clip is None and two.webm is None and two.subtitles is None
    assert three.stale and three.steps == () and three.key is None
    assert [c.slides for c in manifest.chapters] == [("a-one", "a-two"), ("b-one",)]
    assert manifest.lecture.stale and manifest.lecture.video is None


def test_a_manifest_is_written_with_its_version_first_and_every_key():
    manifest = decode(Manifest, json.loads(V1))
    data = encode(manifest)
    assert next(iter(data)) == "version" and data["version"] == MANIFEST_VERSION == 2
    stale = data["slides"][2]
    assert stale["steps"] == [] and stale["webm"] is None and stale["subtitles"] is None
    assert decode(Manifest, json.loads(json.dumps(data))) == manifest


def test_a_newer_manifest_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({**json.loads(V1), "version": 99}), encoding="utf-8")
    with pytest.raises(MediaError) as refused:
        read_manifest(path)
    message = str(refused.value)
    assert str(path) in message and "version 99" in message and "render again" in message


def test_a_file_that_is_not_a_manifest_says_which_field_and_what_to_do(tmp_path):
    path = tmp_path / "manifest.json"
    with pytest.raises(MediaError, match="render first"):
        read_manifest(path)
    data = json.loads(V1)
    del data["slides"][1]["title"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(MediaError, match=r"Manifest\.slides\[1\]: missing 'title'.*render again"):
        read_manifest(path)


def test_a_slides_outro_is_read_when_present_and_null_in_manifests_before_it(tmp_path):
    # Within version 2: where each clip's tail (the fade after its last step) begins.
    data = {**json.loads(V1), "version": 2}
    data["slides"][0]["outro"] = {"start": 1.8, "frame": 27, "frames": 3}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    one, two, _ = read_manifest(path).slides
    assert one.outro == ManifestOutro(start=1.8, frame=27, frames=3) and two.outro is None
    written = encode(read_manifest(path))
    assert written["slides"][0]["outro"] == {"start": 1.8, "frame": 27, "frames": 3}
    assert written["slides"][1]["outro"] is None and written["version"] == MANIFEST_VERSION
    # A reader that knows no `outro` (this code reading a record with a key it lacks) ignores it.
    assert decode(ManifestStep, {"name": "a", "start": 0.0, "outro": 3}) == ManifestStep("a", 0.0)
