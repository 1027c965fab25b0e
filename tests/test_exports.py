"""Exports of a real render: webm, posters, per-step clips, subtitles, narration audio, manifest."""

from __future__ import annotations

import itertools
import math
import re
import shutil
import struct
import subprocess
import wave
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from explainer.media.container import probe
from pipeline_support import edit, explainer, manifest, mtimes, worst_webm_psnr

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
        assert probe(out / slide["webm"], decode=False).spec.codec == "vp9"
        assert worst_webm_psnr(out / slide["webm"], out / slide["clip"], 15) > 30
        poster = np.asarray(Image.open(out / slide["poster"]).convert("L"), dtype=float)
        assert poster.shape == (480, 854) and poster.std() > 10, "poster is blank"
        step_frames = [probe(out / step["clip"]).frames for step in slide["steps"]]
        assert step_frames == [step["frames"] for step in slide["steps"]]
        # The steps tile the clip up to its tail (the fade after the last step: tests/test_transitions.py).
        assert sum(step_frames) == slide["outro"]["frame"] == clip.frames - slide["outro"]["frames"]
        assert [s["clip"] for s in slide["steps"]] == [f"steps/{slide['id']}/{n:02d}.mp4"
                                                       for n in range(1, len(slide["steps"]) + 1)]
        cues = vtt_cues(out / slide["subtitles"]["vtt"])
        assert cues and cues[0][0] == 0 and cues[-1][1] <= slide["duration"] + 1e-3
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(cues))
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


def write_tone(path: Path, seconds: float, rate: int = 44_100, hz: float = 440) -> None:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        samples = (int(12_000 * math.sin(2 * math.pi * hz * n / rate)) for n in range(int(seconds * rate)))
        handle.writeframes(b"".join(struct.pack("<h", s) for s in samples))


def audio_samples(path: Path) -> tuple[str, np.ndarray]:
    """The codec and decoded mono samples of a file's one audio stream (asserting there is one)."""
    with av.open(str(path)) as container:
        assert len(container.streams.audio) == 1, f"{path}: {len(container.streams.audio)} audio streams"
        stream = container.streams.audio[0]
        assert stream.codec_context.sample_rate == 48_000
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(stream)])
        return stream.codec_context.name, samples


def onset(samples: np.ndarray, after: float, rate: int = 48_000) -> float:
    """The first moment at or after `after` seconds where the sound's energy rises (5 ms windows)."""
    window = rate // 200
    start = int(after * rate)
    energy = np.sqrt(np.mean(samples[start: start + rate * 3][: (rate * 3 // window) * window]
                             .reshape(-1, window) ** 2, axis=1))
    loud = np.flatnonzero(energy > 0.02)
    assert loud.size, f"no sound within 3 s after {after:.3f} s"
    return after + loud[0] * window / rate


def test_every_output_has_narration_of_its_length_with_each_segment_at_its_step(rendered):
    import pyloudnorm

    out = rendered / "media/draft"
    data = manifest(rendered)
    frame = 1 / 15
    offsets = {}
    elapsed = 0.0
    for slide in data["slides"]:
        offsets[slide["id"]] = elapsed
        elapsed += slide["frames"] / 15
    chapter_of = {s["id"]: s["chapter"] for s in data["slides"]}
    chapter_start = {c["id"]: offsets[c["slides"][0]] for c in data["chapters"]}
    decoded = {}
    videos = [out / s["clip"] for s in data["slides"]] + [out / c["video"] for c in data["chapters"]] \
        + [out / data["lecture"]["video"]]
    for video in videos:
        codec, samples = audio_samples(video)
        assert codec == "aac"
        assert abs(samples.size / 48_000 - probe(video).duration) <= frame, video
        decoded[video.name] = samples
    for slide in data["slides"]:
        segments = slide["narration"]
        assert segments, slide["id"]
        for segment in segments:
            step = next(s for s in slide["steps"] if s["name"] == segment["step"])
            if segment is not step["segments"][0]:
                continue
            # The voice starts on its step's first frame: in the clip, its chapter and the lecture.
            assert segment["start"] == pytest.approx(step["start"], abs=1e-6)
            for name, base in ((f"{slide['id']}.mp4", 0.0),
                               (f"{slide['chapter']}.mp4", offsets[slide["id"]] - chapter_start[chapter_of[slide["id"]]]),
                               ("lecture.mp4", offsets[slide["id"]])):
                heard = onset(decoded[name], max(0.0, base + step["start"] - 0.2))
                assert abs(heard - (base + step["start"])) <= frame, (slide["id"], segment["step"], name, heard)
        loudness = pyloudnorm.Meter(48_000).integrated_loudness(decoded[f"{slide['id']}.mp4"].astype(np.float64))
        assert abs(loudness - (-16.0)) <= 1.0, (slide["id"], loudness)
    # Step clips and webm carry their share of it.
    for slide in data["slides"]:
        assert audio_samples(out / slide["webm"])[0] == "opus"
        for step in slide["steps"]:
            codec, samples = audio_samples(out / step["clip"])
            assert codec == "aac" and abs(samples.size / 48_000 - step["frames"] / 15) <= frame


def test_step_clips_decode_cleanly_and_match_their_main_clip_frame_for_frame(rendered):
    out = rendered / "media/draft"
    for slide in manifest(rendered)["slides"]:
        with av.open(str(out / slide["clip"])) as container:
            main = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        position = 0
        for step in slide["steps"]:
            clip = out / step["clip"]
            errors = subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-f", "null", "-"],
                                    capture_output=True, text=True, timeout=60).stderr
            assert errors == "", f"{clip}: {errors}"
            with av.open(str(clip)) as container:
                frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
            assert len(frames) == step["frames"]
            for offset, frame in enumerate(frames):
                assert np.array_equal(frame, main[position + offset]), (clip, offset)
            position += len(frames)
        assert position == slide["outro"]["frame"] == len(main) - slide["outro"]["frames"]   # then the tail


def test_no_step_still_is_an_empty_frame(rendered):
    # A deck prints each step as its still: the chapter step's is its card, not the fade after it
    # (how each step ends: tests/test_step_ends.py).
    out = rendered / "media/draft"
    for slide in manifest(rendered)["slides"]:
        for step in slide["steps"]:
            still = np.asarray(Image.open(out / step["still"]).convert("L"), dtype=float)
            assert still.std() > 5, (step["still"], "the step's still is an empty frame")


def test_subtitle_cues_fall_inside_their_segments_and_cover_every_one(rendered):
    out = rendered / "media/draft"
    for slide in manifest(rendered)["slides"]:
        cues = vtt_cues(out / slide["subtitles"]["vtt"])
        starts = [s["start"] for s in slide["narration"]][1:] + [slide["outro"]["start"]]
        for segment, following in zip(slide["narration"], starts):
            start, end = segment["start"], segment["start"] + segment["seconds"]
            # A segment said in under a second keeps its last cue up to a second (MIN_CUE_SECONDS),
            # into the silence after it, never into the next segment.
            shown = max(end, min(start + 1.0, following))
            inside = [c for c in cues if start - 1e-3 <= c[0] and c[1] <= shown + 1e-3]
            assert inside and inside[0][0] == pytest.approx(start, abs=1e-3)
            assert inside[-1][1] == pytest.approx(shown, abs=1e-3)
            assert all(c[1] - c[0] >= 1.0 - 1e-3 for c in inside), inside
            assert letters("".join(c[2] for c in inside)) == letters(segment["text"])


def letters(text: str) -> str:
    return re.sub(r"[\s。，、]", "", text)


def test_a_recorded_take_sets_its_steps_length_and_a_same_length_swap_renders_nothing(copy):
    write_tone(copy / "take.wav", 4.0)
    edit(copy / "script.yaml", "            say: 分母把每一項加起來，讓機率總和是 1。\n",
         "            say: 分母把每一項加起來，讓機率總和是 1。\n            audio: take.wav\n")
    run = explainer(copy, "render", "--voice", "recorded")
    assert run.returncode == 0, run.stderr
    assert "1 rendered" in run.stderr     # the take is longer than the draft voice: a-two's length changed
    out = copy / "media/draft"
    slide = {s["id"]: s for s in manifest(copy)["slides"]}["a-two"]
    focus = next(s for s in slide["steps"] if s["name"] == "focus")
    assert focus["frames"] / 15 >= 4.0
    assert focus["segments"][0]["voice"] == "recorded"
    _, samples = audio_samples(out / slide["clip"])
    assert abs(onset(samples, focus["start"] - 0.2) - focus["start"]) <= 1 / 15
    before = (out / slide["clip"]).read_bytes()
    # The same length, other sound: nothing renders, the audio is re-muxed.
    write_tone(copy / "take.wav", 4.0, hz=660)
    run = explainer(copy, "render", "--voice", "recorded")
    assert run.returncode == 0 and "0 rendered" in run.stderr, run.stderr
    assert (out / slide["clip"]).read_bytes() != before


@pytest.mark.parametrize(("content", "message"), [
    (b"not audio at all", "cannot be decoded as audio"),
    (b"", "cannot be decoded as audio"),
])
def test_a_bad_take_is_an_input_error_naming_slide_step_and_file(copy, content, message):
    (copy / "take.wav").write_bytes(content)
    edit(copy / "script.yaml", "            say: 分母把每一項加起來，讓機率總和是 1。\n",
         "            say: 分母把每一項加起來，讓機率總和是 1。\n            audio: take.wav\n")
    videos = mtimes(copy / "media/draft")
    run = explainer(copy, "render", "--voice", "recorded")
    assert run.returncode == 2, run.stderr
    assert "slide 'a-two', step 'focus'" in run.stderr and "take.wav" in run.stderr
    assert message in run.stderr or "holds no audio" in run.stderr or "empty" in run.stderr
    assert mtimes(copy / "media/draft") == videos


def test_the_real_gallery_plays_every_clip_in_headless_chromium(rendered, tmp_path):
    from gallery_support import CHECK_HTML, probe, serve

    site = tmp_path / "site"
    shutil.copytree(rendered / "media/draft", site)
    (site / "check.html").write_text(CHECK_HTML, encoding="utf-8")
    with serve(site) as base:
        results = probe(base)
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


def test_mp4_outputs_carry_a_soft_chinese_subtitle_track_matching_the_vtt(rendered):
    out = rendered / "media/draft"
    data = manifest(rendered)
    pairs = [(out / s["clip"], out / s["subtitles"]["vtt"]) for s in data["slides"]]
    pairs += [(out / c["video"], out / c["subtitles"]["vtt"]) for c in data["chapters"]]
    pairs.append((out / data["lecture"]["video"], out / data["lecture"]["subtitles"]["vtt"]))
    for video, vtt in pairs:
        with av.open(str(video)) as container:
            tracks = container.streams.subtitles
            assert len(tracks) == 1 and tracks[0].codec_context.name == "mov_text", video
            assert tracks[0].metadata.get("language") == "chi"
        srt = subprocess.run(["ffmpeg", "-v", "error", "-i", str(video), "-map", "0:s:0", "-f", "srt", "-"],
                             capture_output=True, text=True, timeout=60).stdout
        shown = [re.sub(r"<[^>]+>", "", block.split("\n", 2)[2]).strip()
                 for block in srt.strip().split("\n\n") if block.strip()]
        assert shown == [cue[2] for cue in vtt_cues(vtt)], video


def test_chapters_and_lecture_meet_the_loudness_target_by_an_independent_meter(rendered):
    """Debian ffmpeg's ebur128 filter (not our meter): -16 LUFS within 1 LU, true peak <= -1 dBTP."""
    out = rendered / "media/draft"
    data = manifest(rendered)
    for video in [out / c["video"] for c in data["chapters"]] + [out / data["lecture"]["video"]]:
        log = subprocess.run(["ffmpeg", "-nostats", "-i", str(video), "-map", "0:a:0", "-af",
                              "ebur128=peak=true", "-f", "null", "-"],
                             capture_output=True, text=True, timeout=120).stderr
        summary = log[log.rindex("Summary:"):]
        integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
        peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
        assert abs(integrated - (-16.0)) <= 1.0, (video, integrated)
        assert peak <= -1.0 + 0.3, (video, peak)   # AAC may lift a peak by a few tenths of a dB
