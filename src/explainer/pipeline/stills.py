"""Previews without Manim: a step's last frame decoded from the published clip, when its frames
are still the ones the slide's inputs ask for (manim-free; PyAV only when a frame is decoded)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from explainer.media.presets import Preset
from explainer.pipeline.keys import changed_inputs, frame_key, key_inputs
from explainer.pipeline.paths import Paths
from explainer.pipeline.records import Sidecar
from explainer.script.load import Lecture, Slide


@dataclass(frozen=True)
class PublishedFrame:
    """Where a preview can come from: a frame of the published clip, or why it cannot."""

    clip: Path | None
    frame: int = 0
    reason: str = ""
    sidecar: Sidecar | None = None


def published_frame(lecture: Lecture, slide: Slide, preset: Preset, paths: Paths, step: int | None) -> PublishedFrame:
    """The published clip's frame showing the end of the slide (or of step `step`, 1-based), when
    the slide's frame key still equals the key the clip was published under.

    Narration enters the key only as how long each step holds, which moves frames in time but
    never changes what a step's last frame shows, so the clip's own narration lengths are kept.
    """
    sidecar = Sidecar.read(paths.sidecar(slide.id))
    if sidecar is None:
        return PublishedFrame(None, reason=f"never rendered at {paths.quality}")
    inputs = key_inputs(lecture, slide, preset)
    inputs["narration"] = sidecar.inputs.get("narration", [])
    if frame_key(inputs) != sidecar.key:
        changed = changed_inputs(sidecar.inputs, inputs) or ["its inputs changed"]
        return PublishedFrame(None, reason="changed since its last render: " + "; ".join(changed))
    if step and 0 < step < len(sidecar.steps):
        frame = sidecar.steps[step].frame - 1   # the frame before the next step begins
    else:
        frame = sidecar.steps_end - 1            # the last step's end, before the clip's tail
    return PublishedFrame(paths.clip(slide.id), max(0, frame), sidecar=sidecar)


def write_frame(clip: Path, index: int, sidecar: Sidecar, target: Path) -> bool:
    """Decode frame `index` of `clip` into the PNG `target`; False when the clip is not the one the
    sidecar recorded (deleted, replaced or modified since it was published)."""
    import av

    with clip.open("rb") as handle:   # checked and decoded through one handle: no swap in between
        stat = os.fstat(handle.fileno())
        if stat.st_size != sidecar.clip_size or stat.st_mtime_ns != sidecar.clip_mtime_ns:
            return False
        with av.open(handle) as container:
            stream = container.streams.video[0]
            rate = stream.base_rate or stream.average_rate
            start = stream.start_time or 0
            # Seek to the keyframe before the wanted frame (every step starts on one), then decode on.
            container.seek(start + int(index / rate / stream.time_base), stream=stream, backward=True)
            image = None
            for frame in container.decode(stream):
                number = round((frame.pts - start) * stream.time_base * rate)
                if number > index:
                    break
                image = frame
                if number == index:
                    break
    if image is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    image.to_image().save(partial, format="PNG", compress_level=1)   # fast: a preview is looked at once
    partial.replace(target)
    return True


def preview_from_clip(lecture: Lecture, slide: Slide, preset: Preset, paths: Paths, step: int | None,
                      target: Path) -> tuple[bool, str]:
    """Write the preview from the published clip if its frames are current: (done, what happened)."""
    found = published_frame(lecture, slide, preset, paths, step)
    if found.clip is None:
        return False, found.reason
    if not found.clip.is_file():
        return False, "its published clip was deleted"
    if found.sidecar is None or not write_frame(found.clip, found.frame, found.sidecar, target):
        return False, "its published clip was modified since it was published"
    return True, f"frame {found.frame} of {found.clip} (its inputs are unchanged since it was rendered)"
