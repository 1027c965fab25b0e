"""The VP9 webm of a clip: encoded once per picture, joined and muxed with narration by packet copy."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import av
import numpy as np

from explainer.errors import MediaError

# libvpx-vp9 at its default speed is far too slow on 2 cores; realtime with row threading is
# ~10x faster and still looks clean on flat slide graphics.
VP9_OPTIONS = {"deadline": "realtime", "cpu-used": "8", "row-mt": "1", "crf": "34", "b": "0"}
MS_TOLERANCE = 0.6 / 1000   # webm stamps frames in whole milliseconds


@dataclass(frozen=True)
class Encoded:
    """What encode_webm wrote: the clip's frames, and the pictures encoded to show them."""

    frames: int
    pictures: int


def _same_picture(planes: list[np.ndarray], before: list[np.ndarray] | None) -> bool:
    return before is not None and all(np.array_equal(a, b) for a, b in zip(planes, before))


def _opus_track(out: av.container.OutputContainer, track: Path) -> None:
    from explainer.media.audio import encode_samples

    _, packets = encode_samples(out, np.load(track), codec="libopus")
    for packet in packets:
        out.mux(packet)


def encode_webm(clip: Path, target: Path, fps: int, track: Path | None = None,
                poster: tuple[int, Path] | None = None, stills: dict[int, Path] | None = None) -> Encoded:
    """Re-encode the clip as VP9 webm with encoder settings fit for 2 cores (narration as Opus).

    A frame identical to the one before it is not encoded: webm stamps each frame with its time,
    so the one before is shown until the next change. Held frames are most of a slide (64% of
    `scaled-dot-product`) and cost VP9 ~12 ms each at 1080p, as much as a moving one; the held
    picture's quality stays the same (luma PSNR against the clip, measured). The clip's last frame
    is always encoded, so the webm lasts exactly as long as the clip.

    `poster` (frame index, PNG path) and `stills` (PNG path by frame index) save those frames on
    the way, so the clip is decoded once.
    """
    saves = [*(stills or {}).items(), *([poster] if poster is not None else [])]
    pictures, frames = 0, 0
    with av.open(str(clip)) as source, av.open(str(target), "w", format="webm") as out:
        in_stream = source.streams.video[0]
        out_stream = out.add_stream("libvpx-vp9", rate=Fraction(fps), options=VP9_OPTIONS)
        out_stream.width = in_stream.codec_context.width
        out_stream.height = in_stream.codec_context.height
        out_stream.pix_fmt = "yuv420p"
        out_stream.codec_context.thread_count = os.cpu_count() or 1
        if track is not None:
            _opus_track(out, track)
        before: list[np.ndarray] | None = None
        held: av.VideoFrame | None = None   # the latest frame not encoded, in case it is the last
        for index, frame in enumerate(source.decode(in_stream)):
            frames += 1
            for path in (path for at, path in saves if at == index):
                frame.to_image().save(path, format="PNG")
            frame.pts, frame.time_base = index, Fraction(1, fps)
            planes = [np.frombuffer(plane, np.uint8) for plane in frame.planes]
            if _same_picture(planes, before):
                held = frame
                continue
            before, held = planes, None
            pictures += 1
            for packet in out_stream.encode(frame):
                out.mux(packet)
        if held is not None:
            pictures += 1
            for packet in out_stream.encode(held):
                out.mux(packet)
        for packet in out_stream.encode():
            out.mux(packet)
    return Encoded(frames, pictures)


def _frame_times(webm: Path) -> tuple[list[float], float]:
    """When each picture of the webm is shown, and when the last one ends (seconds)."""
    with av.open(str(webm)) as container:
        stream = container.streams.video[0]
        packets = [p for p in container.demux(stream) if p.size and p.pts is not None]
        times = [float(p.pts * stream.time_base) for p in packets]
        end = float((packets[-1].pts + (packets[-1].duration or 0)) * stream.time_base) if packets else 0.0
        return times, end


def check_webm(webm: Path, frames: int, fps: int, pictures: int | None = None) -> None:
    """The webm's pictures (as many as were encoded, if given) are in order, the first at 0 and
    the last at the clip's last frame: a torn or mistimed file would show the wrong picture or end
    early. Read from packet times, not by decoding (decoding was ~1/5 of a 1080p60 export's CPU)."""
    times, end = _frame_times(webm)
    if not times or (pictures is not None and len(times) != pictures):
        raise MediaError(f"{webm}: holds {len(times)} pictures, {pictures} were encoded")
    if times[0] > MS_TOLERANCE or abs(times[-1] - (frames - 1) / fps) > MS_TOLERANCE \
            or abs(end - frames / fps) > 2 * MS_TOLERANCE or any(b <= a for a, b in pairwise(times)):
        raise MediaError(f"{webm}: its frames are not timed as the clip's {frames} frames at {fps} fps")


def _partial(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.with_name(f".{target.name}.{os.getpid()}.partial.webm")


def encode_rendition(clip: Path, target: Path, fps: int) -> Encoded:
    """The clip as a video-only webm at `target`, written atomically and checked: made where the
    clip was rendered (a piece of a split slide encodes its own), so the export only muxes."""
    partial = _partial(target)
    try:
        encoded = encode_webm(clip, partial, fps)
        check_webm(partial, encoded.frames, fps, encoded.pictures)
        os.replace(partial, target)
        return encoded
    finally:
        partial.unlink(missing_ok=True)


def _video_stream(out: av.container.OutputContainer, rendition: Path, fps: int) -> av.video.stream.VideoStream:
    with av.open(str(rendition)) as source:
        # The frame rate is not in the template; without it the webm has no default frame
        # duration, and a player cannot tell when the last picture ends.
        return out.add_stream_from_template(source.streams.video[0], rate=fps)


def _copy_video(parts: Sequence[tuple[Path, int]], out: av.container.OutputContainer,
                out_stream: av.video.stream.VideoStream, fps: int) -> None:
    """Every picture of `parts` (webm, its frames) into `out`, each part after the frames before it.
    Each part begins with a keyframe (a VP9 encode always does), so the joined stream decodes."""
    before = 0
    for path, frames in parts:
        with av.open(str(path)) as source:
            stream = source.streams.video[0]
            for packet in source.demux(stream):
                if not packet.size or packet.pts is None:
                    continue
                index = round(float(packet.pts * stream.time_base) * fps) + before
                # Its duration in frames too: the last one's sets where the webm ends.
                frames_shown = round(float(packet.duration * stream.time_base) * fps) if packet.duration else 1
                packet.stream = out_stream
                packet.pts = packet.dts = index
                packet.duration = max(1, frames_shown)
                packet.time_base = Fraction(1, fps)
                out.mux(packet)
        before += frames


def join_renditions(parts: Sequence[tuple[Path, int]], target: Path, fps: int) -> None:
    """Join the video-only webms of a split slide's pieces (webm, its frames) by packet copy."""
    partial = _partial(target)
    try:
        with av.open(str(partial), "w", format="webm") as out:
            _copy_video(parts, out, _video_stream(out, parts[0][0], fps), fps)
        check_webm(partial, sum(frames for _, frames in parts), fps,
                   sum(len(_frame_times(path)[0]) for path, _ in parts))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def mux_webm(rendition: Path, frames: int, target: Path, fps: int, track: Path | None = None) -> None:
    """The slide's webm from its stored rendition (packet copy) and its narration (Opus)."""
    with av.open(str(target), "w", format="webm") as out:
        video = _video_stream(out, rendition, fps)   # both streams before the first packet
        if track is not None:
            _opus_track(out, track)
        _copy_video([(rendition, frames)], out, video, fps)
    check_webm(target, frames, fps, len(_frame_times(rendition)[0]))


def save_frames(clip: Path, saves: Sequence[tuple[int, Path]]) -> None:
    """Save the clip's frame at each (index, PNG path) of `saves`, each decoded from the keyframe
    before it: a step's last frame is in its last animation, which Manim starts on a keyframe, so
    a still costs a few seconds of decoding, not the whole clip (its webm was encoded elsewhere)."""
    with av.open(str(clip)) as source:
        stream = source.streams.video[0]
        times = sorted(p.pts for p in source.demux(stream) if p.size and p.pts is not None)
        for index, path in sorted(saves):
            wanted = times[index]
            source.seek(wanted, stream=stream, backward=True, any_frame=False)
            for frame in source.decode(stream):
                if frame.pts == wanted:
                    frame.to_image().save(path, format="PNG")
                if frame.pts is not None and frame.pts >= wanted:
                    break
