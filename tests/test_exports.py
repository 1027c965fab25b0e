"""Exports of a real render: webm, posters, per-step clips, subtitles, narration audio, manifest."""

from __future__ import annotations

import math
import shutil
import re
import struct
import wave
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from explainer.media import probe
from pipeline_support import edit, explainer, manifest, mtimes

pytestmark = pytest.mark.slow


def vtt_cues(path: Path) -> list[tuple[float, float, str]]:
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    blocks = path.read_text(encoding="utf-8").split("\n\n")
    cues = []
    for block in blocks:
        match = re.match(r"(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n(.+)", block.strip(), re.S)
        if match:
            cues.append((seconds(match.group(1)), seconds(match.group(2)), match.group(3)))
    return cues


def test_every_slide_has_webm_poster_steps_and_subtitles(rendered):
    out = rendered / "media/draft"
    data = manifest(rendered)
    for slide in data["slides"]:
        clip = probe(out / slide["clip"])
        webm = probe(out / slide["webm"])
        assert webm.spec.codec == "vp9" and webm.frames == clip.frames
        poster = np.asarray(Image.open(out / slide["poster"]).convert("L"), dtype=float)
        assert poster.shape == (480, 854) and poster.std() > 10, "poster is blank"
        step_frames = [probe(out / step["clip"]).frames for step in slide["steps"]]
        assert step_frames == [step["frames"] for step in slide["steps"]]
        assert sum(step_frames) == clip.frames
        assert [s["clip"] for s in slide["steps"]] == [f"steps/{slide['id']}/{n:02d}.mp4"
                                                       for n in range(1, len(slide["steps"]) + 1)]
        cues = vtt_cues(out / slide["subtitles"]["vtt"])
        assert cues and cues[0][0] == 0 and cues[-1][1] <= slide["duration"] + 1e-3
        assert all(a[1] <= b[0] for a, b in zip(cues, cues[1:]))
        assert (out / slide["subtitles"]["srt"]).read_text(encoding="utf-8").startswith("1\n")
    assert (out / "index.html").is_file()


def test_chapter_and_lecture_subtitles_are_offset_by_exact_frame_counts(rendered):
    out = rendered / "media/draft"
    data = manifest(rendered)
    first, second = data["slides"][0], data["slides"][1]
    chapter = vtt_cues(out / data["chapters"][0]["subtitles"]["vtt"])
    own = vtt_cues(out / second["subtitles"]["vtt"])
    offset = first["frames"] / 15
    shifted = [c for c in chapter if c[2] == own[0][2]]
    assert shifted and shifted[0][0] == pytest.approx(own[0][0] + offset, abs=1e-3)
    lecture = vtt_cues(out / data["lecture"]["subtitles"]["vtt"])
    assert lecture[-1][1] <= data["lecture"]["duration"] + 1e-3
    assert len(lecture) == sum(len(vtt_cues(out / s["subtitles"]["vtt"])) for s in data["slides"])


def test_narration_edit_reexports_subtitles_without_rendering(copy):
    out = copy / "media/draft"
    videos = mtimes(out)
    edit(copy / "script.yaml", "第二張投影片的旁白。", "第二張投影片的新旁白，說得更清楚。")
    run = explainer(copy, "render")
    assert run.returncode == 0 and "0 rendered, 0 restored" in run.stderr
    assert mtimes(out) == videos
    assert "第二張投影片的新旁白" in (out / "subtitles/a-two.vtt").read_text(encoding="utf-8")
    assert "第二張投影片的新旁白" in (out / "subtitles/lecture.vtt").read_text(encoding="utf-8")


def write_tone(path: Path, seconds: float, rate: int = 44_100) -> None:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        samples = (int(12_000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(int(seconds * rate)))
        handle.writeframes(b"".join(struct.pack("<h", s) for s in samples))


def audio_stream_info(path: Path) -> tuple[str, int, float] | None:
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(stream))
        return stream.codec_context.name, stream.codec_context.sample_rate, samples / stream.codec_context.sample_rate


def test_recorded_narration_sets_the_clip_length_and_is_muxed_everywhere(copy):
    write_tone(copy / "narration.wav", 5.0)
    edit(copy / "script.yaml", "        narration: 第二張投影片的旁白。\n",
         "        narration: 第二張投影片的旁白。\n        audio: narration.wav\n")
    run = explainer(copy, "render")
    assert run.returncode == 0, run.stderr
    assert "1 rendered" in run.stderr   # the audio's hash entered a-two's frame key
    out = copy / "media/draft"
    slides = {s["id"]: s for s in manifest(copy)["slides"]}
    clip = out / slides["a-two"]["clip"]
    assert probe(clip).duration >= 5.0                       # the final hold was extended
    codec, rate, seconds = audio_stream_info(clip)
    assert (codec, rate) == ("aac", 48_000) and seconds == pytest.approx(probe(clip).duration, abs=0.05)
    assert audio_stream_info(out / slides["a-one"]["clip"]) is None
    webm_audio = audio_stream_info(out / slides["a-two"]["webm"])
    assert webm_audio is not None and webm_audio[0] == "opus"
    for video in (out / "chapters/alpha.mp4", out / "lecture.mp4"):
        codec, rate, seconds = audio_stream_info(video)
        assert (codec, rate) == ("aac", 48_000)
        assert seconds == pytest.approx(probe(video).duration, abs=0.05)
    assert audio_stream_info(out / "chapters/beta.mp4") is None
    # The tone sits exactly where a-two starts in the chapter: silence before it.
    with av.open(str(out / "chapters/alpha.mp4")) as container:
        samples = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])
    start = int(slides["a-one"]["frames"] / 15 * 48_000)
    assert np.abs(samples[: start - 2400]).max() < 0.01
    assert np.abs(samples[start + 2400 : start + 24_000]).max() > 0.2


def test_the_real_gallery_plays_every_clip_in_headless_chromium(rendered, tmp_path):
    from gallery_support import CHECK_HTML, chromium, read_results, serve

    site = tmp_path / "site"
    shutil.copytree(rendered / "media/draft", site)
    (site / "check.html").write_text(CHECK_HTML, encoding="utf-8")
    with serve(site) as base:
        results = read_results(chromium("--dump-dom", base + "check.html", budget_ms=30000, timeout=120))
    assert "fatal" not in results, results
    data = manifest(rendered)
    expected = {s["id"]: s["duration"] for s in data["slides"]}
    videos = {v["id"]: v for v in results["videos"] if v["id"] in expected}
    assert set(videos) == set(expected), results
    for slide_id, video in videos.items():
        assert video["error"] is None and abs(video["duration"] - expected[slide_id]) <= 0.1, video
        assert all(source["error"] is None for source in video["sources"]), video
        assert video["track"]["readyState"] == 2 and video["track"]["cues"] >= 1, video
    assert all(status == 200 for status in results["links"].values()), results["links"]
