"""Per-slide exports derived from a stored clip: VP9 webm, poster PNG, per-step clips and stills."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from explainer.codec import write_record
from explainer.errors import MediaError
from explainer.media.container import probe
from explainer.media.exportinfo import ExportedStep, ExportInfo
from explainer.media.presets import EXPORT_INFO
from explainer.media.webm import check_webm, encode_webm, mux_webm, save_frames

STEP_SNAP_FRAMES = 4  # a step starts at the keyframe nearest its recorded time (animation cuts)


@dataclass(frozen=True)
class Step:
    """One step (Manim section) of a clip, frame-exact."""

    name: str
    start_frame: int
    end_frame: int


def _packets_by_time(path: Path) -> tuple[list[av.Packet], av.video.stream.VideoStream, av.container.InputContainer]:
    container = av.open(str(path))
    stream = container.streams.video[0]
    packets = [p for p in container.demux(stream) if p.size and p.pts is not None]
    packets.sort(key=lambda p: p.pts)
    return packets, stream, container


def frame_exact_steps(clip: Path, steps: Sequence[tuple[str, int]], fps: int, end: int | None = None) -> list[Step]:
    """Steps (name, recorded first frame) as frame ranges, each starting on the keyframe Manim
    wrote where its animation began. The last step ends at `end`, the first frame of the clip's
    tail (the fade after its last step, which belongs to no step; it too starts on a keyframe),
    or with the clip when it has none."""
    packets, _, container = _packets_by_time(clip)
    container.close()
    total = len(packets) if end is None else max(0, min(end, len(packets)))
    keyframes = [i for i, packet in enumerate(packets) if packet.is_keyframe]
    starts: list[tuple[str, int]] = []
    for name, estimate in steps:
        nearest = min(keyframes, key=lambda k: abs(k - estimate))
        frame = nearest if abs(nearest - estimate) <= STEP_SNAP_FRAMES else estimate
        if starts and frame <= starts[-1][1]:
            starts[-1] = (name, starts[-1][1])   # an empty step: the later name wins
            continue
        starts.append((name, min(frame, total)))
    if not starts or starts[0][1] != 0:
        starts.insert(0, ("start", 0))
    result = []
    for index, (name, start) in enumerate(starts):
        stop = starts[index + 1][1] if index + 1 < len(starts) else total
        if stop > start:
            result.append(Step(name, start, stop))
    return result


def cut_steps(clip: Path, steps: list[Step], folder: Path, fps: int, track: Path | None = None) -> list[Path]:
    """Write each step as its own mp4 by packet copy (steps start on keyframes), with its part
    of the narration track. Packets are written in decode order: a stream with B-frames written
    in presentation order decodes with errors and block artefacts."""
    from explainer.media.audio import SAMPLE_RATE, encode_samples

    packets, stream, container = _packets_by_time(clip)
    samples = np.load(track) if track is not None else None
    per_frame = SAMPLE_RATE // fps
    outputs = []
    try:
        for number, step in enumerate(steps, 1):
            chunk = packets[step.start_frame : step.end_frame]
            if not chunk[0].is_keyframe:
                raise MediaError(f"{clip}: step '{step.name}' does not start on a keyframe")
            target = folder / f"{number:02d}.mp4"
            with av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out:
                out_stream = out.add_stream_from_template(stream)
                audio_packets = []
                if samples is not None:
                    _, audio_packets = encode_samples(
                        out, samples[step.start_frame * per_frame : step.end_frame * per_frame])
                offset = chunk[0].pts  # one shift for pts and dts keeps their B-frame distance
                for packet in sorted(chunk, key=lambda p: p.dts):
                    packet.pts -= offset
                    packet.dts -= offset
                    packet.stream = out_stream
                    out.mux(packet)
                for packet in audio_packets:
                    out.mux(packet)
            if probe(target, decode=False).frames != len(chunk):
                raise MediaError(f"{target}: frame count differs from the step's {len(chunk)}")
            outputs.append(target)
    finally:
        container.close()
    return outputs


def build_exports(clip: Path, steps: Sequence[tuple[str, int]], fps: int, poster_step: str | None, folder: Path,
                  track: Path | None = None, rendition: Path | None = None, outro: int | None = None) -> ExportInfo:
    """Every export of one clip into a fresh `folder` (renamed into place by the caller).

    The poster is the end of `poster_step` if the scene names one, else the last step's last
    frame: scenes end on their main idea. The clip's tail from frame `outro` on (its fade to the
    background) is in no step clip, still or poster; the webm is the whole clip, tail included.
    With `rendition` (the clip as a video-only webm, made where it rendered) the webm is a packet
    copy of it with the narration; without, the clip is encoded here.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".exports-", dir=folder.parent))
    staging.chmod(0o755)
    try:
        exact = frame_exact_steps(clip, steps, fps, outro)
        (staging / "steps").mkdir()
        cut_steps(clip, exact, staging / "steps", fps, track)
        poster_frame = exact[-1].end_frame - 1
        for step in exact:
            if step.name == poster_step:
                poster_frame = step.end_frame - 1
        # Each step's last frame as a still (steps/NN.png): a deck's poster for that step's clip.
        stills = {step.end_frame - 1: staging / "steps" / f"{n:02d}.png" for n, step in enumerate(exact, 1)}
        frames = probe(clip, decode=False).frames   # the whole clip: the webm shows its tail too
        if rendition is not None:
            mux_webm(rendition, frames, staging / "clip.webm", fps, track)
            save_frames(clip, [*stills.items(), (poster_frame, staging / "poster.png")])
        else:
            encoded = encode_webm(clip, staging / "clip.webm", fps, track, poster=(poster_frame, staging / "poster.png"),
                                  stills=stills)
            check_webm(staging / "clip.webm", frames, fps, encoded.pictures)
        if not (staging / "poster.png").is_file():
            raise MediaError(f"{clip}: no frame {poster_frame} for the poster")
        if not all(still.is_file() for still in stills.values()):
            raise MediaError(f"{clip}: a step's last frame is missing, so its still was not written")
        info = ExportInfo(tuple(ExportedStep(s.name, s.start_frame / fps, s.end_frame - s.start_frame) for s in exact),
                          poster_frame)
        write_record(staging / EXPORT_INFO, info)
        if folder.exists():  # an earlier, interrupted run left an incomplete folder
            shutil.rmtree(folder)
        os.replace(staging, folder)
        return info
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
