"""Between slides and chapters, on the real render of the mini lecture (two chapters, three slides):
every slide's picture fades to the background after its last step, a chapter's last slide then
holds the silent background for a breath, and the tail belongs to no step (step clips, stills,
previews and decks end on the finished picture; the manifest says where the tail begins)."""

from __future__ import annotations

import av
import numpy as np
import pytest
from PIL import Image

from pipeline_support import manifest

pytestmark = pytest.mark.slow

FPS = 15
FADE_FRAMES = 8             # OUTRO_FADE 0.5 s at 15 fps, in whole frames
BREATH_FRAMES = FPS         # CHAPTER_BREATH 1 s
BACKGROUND = 3.0            # a frame whose brightest detail is this close to the background shows nothing
SILENCE_DB = -60.0


def content(frame: np.ndarray, background: np.ndarray) -> float:
    """How much a frame shows: the 99.9th percentile of its pixels' distance from the background
    (text and lines are a small part of a slide, so a mean would hardly see them); every other
    pixel, which is as good for this and four times faster."""
    distance = np.abs(frame[::2, ::2].astype(np.int16) - background.astype(np.int16)).max(axis=2).ravel()
    k = int(distance.size * 0.999)
    return float(np.partition(distance, k)[k])


def decoded(path, keep: set[int]) -> list[np.ndarray | None]:
    """A video's frames, decoded, those numbered in `keep` as pictures (the others as None)."""
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") if index in keep else None
                for index, frame in enumerate(container.decode(container.streams.video[0]))]


def samples(path) -> tuple[np.ndarray, int]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(stream)]), stream.rate


def db(x: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(x.astype(float) ** 2)) + 1e-12)


@pytest.fixture(scope="module")
def lecture(rendered):
    """The manifest, how much each frame of the lecture shows (content), its narration, each
    slide's first frame in it, and the background colour."""
    data = manifest(rendered)
    video = rendered / "media/draft" / data["lecture"]["video"]
    offsets = np.cumsum([0] + [s["frames"] for s in data["slides"]]).tolist()
    # The frames looked at: each slide's last step's end and its tail, and the start of each slide.
    wanted = {0}
    for slide, first in zip(data["slides"], offsets):
        wanted |= set(range(first + slide["outro"]["frame"] - 1, first + slide["frames"]))
        wanted |= {first, first + FPS}
    levels, background = {}, None
    with av.open(str(video)) as container:   # measured as decoded: all the frames would fill ~0.5 GB
        for index, frame in enumerate(container.decode(container.streams.video[0])):
            if index in wanted:
                picture = frame.to_ndarray(format="rgb24")
                if background is None:
                    background = picture[0, 0]   # a frame's corner is always the background
                levels[index] = content(picture, background)
    audio, rate = samples(video)
    return data, levels, audio, rate, offsets, background


def test_the_manifest_records_each_clips_tail(lecture):
    data, *_ = lecture
    last_in_chapter = {c["slides"][-1] for c in data["chapters"]}
    for slide in data["slides"]:
        outro = slide["outro"]
        held = BREATH_FRAMES if slide["id"] in last_in_chapter else 1
        assert outro["frames"] == FADE_FRAMES + held, slide["id"]
        assert outro["frame"] + outro["frames"] == slide["frames"]
        assert outro["start"] == pytest.approx(outro["frame"] / FPS, abs=1e-6)
        # The steps tile the clip up to the tail, and the narration is said before it.
        assert sum(step["frames"] for step in slide["steps"]) == outro["frame"]
        assert all(s["start"] + s["seconds"] <= outro["start"] for s in slide["narration"])


def test_every_slide_fades_to_the_background_instead_of_cutting(lecture):
    data, levels, _, _, offsets, _ = lecture
    for slide, first in zip(data["slides"], offsets):
        tail = first + slide["outro"]["frame"]
        end = first + slide["frames"]
        finished = levels[tail - 1]   # the last step's finished picture
        assert finished > 60, (slide["id"], finished)
        fading = [levels[index] for index in range(tail, tail + FADE_FRAMES)]
        # It dims frame by frame (never brighter than the frame before, give or take the encoder),
        # through several levels in between: a fade, not a cut from the full picture to black.
        assert all(b <= a + 8 for a, b in zip([finished, *fading], fading)), (slide["id"], finished, fading)
        between = [level for level in fading if 0.1 * finished < level < 0.9 * finished]
        assert len(between) >= 3, (slide["id"], finished, fading)
        assert all(levels[index] <= BACKGROUND for index in range(tail + FADE_FRAMES, end)), slide["id"]


def test_a_chapter_ends_on_a_second_of_silent_background(lecture):
    data, levels, audio, rate, offsets, _ = lecture
    ends = {c["slides"][-1] for c in data["chapters"]}
    for slide, first in zip(data["slides"], offsets):
        end = first + slide["frames"]
        quiet = 0   # background frames before the next slide (or the lecture's end)
        while quiet < end - first and levels[end - 1 - quiet] <= BACKGROUND:
            quiet += 1
        if slide["id"] in ends:
            assert quiet >= BREATH_FRAMES, (slide["id"], quiet)
            fade_start = (first + slide["outro"]["frame"]) / FPS
            silent = audio[round(fade_start * rate): round(end / FPS * rate)]
            assert len(silent) >= rate * (FADE_FRAMES + BREATH_FRAMES) / FPS * 0.99
            assert db(silent) < SILENCE_DB, (slide["id"], db(silent))
            spoken = audio[round(first / FPS * rate): round(fade_start * rate)]
            assert db(spoken) > -40, "the slide itself is narrated"
        else:
            assert 1 <= quiet < BREATH_FRAMES, (slide["id"], quiet)   # a slide boundary: a short fade only
    # The next chapter begins from the background (its card fades in).
    b_one = offsets[2]
    assert levels[b_one] <= BACKGROUND < levels[b_one + FPS]


def test_step_clips_and_stills_end_on_the_finished_picture(lecture, rendered):
    # (A preview from the published clip, too: tests/test_preview.py.)
    data, *_ = lecture
    out = rendered / "media/draft"
    slide = data["slides"][1]    # a-two: the end of chapter alpha
    clip = decoded(out / slide["clip"], keep={slide["outro"]["frame"] - 1})
    finished = clip[slide["outro"]["frame"] - 1]
    background = finished[0, 0]
    last = slide["steps"][-1]
    step_clip = decoded(out / last["clip"], keep={last["frames"] - 1})
    assert len(step_clip) == last["frames"]
    assert np.array_equal(step_clip[-1], finished) and content(finished, background) > 60
    for still in (out / last["still"], out / slide["poster"]):
        picture = np.asarray(Image.open(still).convert("RGB"))
        assert np.abs(picture.astype(float) - finished).mean() < 2, still
