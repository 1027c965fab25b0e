"""One clock for picture and voice: how long each step must last for its words, where each
segment sounds in the clip, and the clip's narration track built from those places."""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from explainer.script.model import Segment
from explainer.voice.voices import SAMPLE_RATE, Voiced

GAP_SECONDS = 0.3      # between two segments spoken in one step
BREATH_SECONDS = 0.4   # after a step's words, before the next step starts


def step_seconds(segments: tuple[Segment, ...], voiced: list[Voiced]) -> dict[str, float]:
    """How long each narrated step must last: its segments, the gaps between them and a breath."""
    needed: dict[str, float] = {}
    for segment, sound in zip(segments, voiced):
        before = needed.get(segment.step)
        needed[segment.step] = (before - BREATH_SECONDS + GAP_SECONDS if before is not None else 0.0) \
            + sound.seconds + BREATH_SECONDS
    return {step: round(seconds, 4) for step, seconds in needed.items()}


def step_frames(segments: tuple[Segment, ...], voiced: list[Voiced], fps: int) -> list[list[object]]:
    """Each narrated step's minimum length in whole frames: this, not the words, is what the
    frame key holds, so an edit that keeps every length renders nothing."""
    return [[step, math.ceil(seconds * fps - 1e-6)] for step, seconds in step_seconds(segments, voiced).items()]


@dataclass(frozen=True)
class Placement:
    """Where one segment sounds in its clip."""

    segment: Segment
    voiced: Voiced
    start: float        # seconds from the clip's first frame
    seconds: float


def placements(segments: tuple[Segment, ...], voiced: list[Voiced],
               step_starts: dict[str, float]) -> list[Placement]:
    """Each segment at its step's first frame, or right after the segment before it in that step."""
    placed: list[Placement] = []
    cursor: dict[str, float] = {}
    for segment, sound in zip(segments, voiced):
        if segment.step not in step_starts:
            continue   # the scene did not mark that step in this render (a preview cut short)
        start = cursor.get(segment.step, step_starts[segment.step])
        placed.append(Placement(segment, sound, start, sound.seconds))
        cursor[segment.step] = start + sound.seconds + GAP_SECONDS
    return placed


def track_key(placed: list[Placement], frames: int, fps: int) -> str:
    data = [[p.voiced.key, round(p.start * SAMPLE_RATE)] for p in placed]
    return hashlib.sha256(json.dumps([data, frames, fps]).encode()).hexdigest()


def build_track(placed: list[Placement], frames: int, fps: int, folder: Path) -> Path:
    """The clip's narration as one mono 48 kHz track exactly as long as its video (cached by
    content under `folder`); silence where no segment speaks."""
    import numpy as np

    key = track_key(placed, frames, fps)
    target = folder / f"{key}.npy"
    if target.is_file():
        return target
    total = frames * SAMPLE_RATE // fps
    track = np.zeros(total, dtype=np.float32)
    for placement in placed:
        if placement.voiced.samples is None:
            continue
        samples = np.load(placement.voiced.samples)
        start = round(placement.start * SAMPLE_RATE)
        end = min(total, start + samples.size)
        if end > start:
            track[start:end] += samples[: end - start]
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{key}.", suffix=".npy", dir=folder)
    with os.fdopen(handle, "wb") as out:
        np.save(out, np.clip(track, -1.0, 1.0))
    os.replace(name, target)
    return target
