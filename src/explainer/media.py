"""Video probing and lossless concatenation with PyAV (no ffmpeg CLI, no re-encode)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path


class MediaError(Exception):
    """A video that is missing, unreadable, or does not match what was expected."""


@dataclass(frozen=True)
class VideoSpec:
    """What must match for clips to be joined by packet copy."""

    codec: str
    width: int
    height: int
    pix_fmt: str
    fps: str          # a fraction as text, e.g. "15/1"
    time_base: str

    def describe(self) -> str:
        return f"{self.codec} {self.width}x{self.height} {self.pix_fmt} @ {self.fps} fps"


@dataclass(frozen=True)
class Probe:
    """A decoded video's spec, frame count and duration."""

    spec: VideoSpec
    frames: int
    duration: float

    def to_json(self) -> dict[str, object]:
        return {"spec": asdict(self.spec), "frames": self.frames, "duration": self.duration}

    @staticmethod
    def from_json(data: dict) -> "Probe":
        return Probe(VideoSpec(**data["spec"]), int(data["frames"]), float(data["duration"]))


def probe(path: Path, decode: bool = True) -> Probe:
    """Open a video; with `decode`, decode every frame so a truncated file is caught."""
    import av  # imported here: the no-op path never needs PyAV

    if not path.is_file():
        raise MediaError(f"{path}: no such video")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise MediaError(f"{path}: holds no video stream")
            stream = container.streams.video[0]
            context = stream.codec_context
            rate = stream.base_rate or stream.guessed_rate or stream.average_rate
            spec = VideoSpec(
                codec=context.name,
                width=context.width,
                height=context.height,
                pix_fmt=str(context.pix_fmt),
                fps=str(Fraction(rate)) if rate else "0",
                time_base=str(stream.time_base),
            )
            if decode:
                frames = sum(1 for _ in container.decode(stream))
            else:
                frames = sum(1 for packet in container.demux(stream) if packet.size)
    except av.FFmpegError as error:
        raise MediaError(f"{path}: cannot be decoded ({error})") from None
    if frames == 0:
        raise MediaError(f"{path}: holds no frames")
    fps = Fraction(spec.fps) if spec.fps != "0" else Fraction(1)
    return Probe(spec, frames, float(frames / fps))


@dataclass(frozen=True)
class Marker:
    """A chapter marker: a title over a frame range."""

    title: str
    start_frame: int
    end_frame: int


def concat(inputs: list[Path], output: Path, markers: list[Marker] | None = None,
           audio: Path | None = None) -> Probe:
    """Join videos of one spec by packet copy into `output` (written atomically, faststart).

    Checks every input's spec first and the output's frame count after: it must equal the sum.
    `audio` (an audio-only mp4 as long as the joined video) has its packets copied in beside
    the video's, interleaved by time: narration joins by packet copy too.
    """
    if not inputs:
        raise MediaError("nothing to join")
    probes = [probe(path, decode=False) for path in inputs]
    first = probes[0].spec
    for path, info in zip(inputs, probes):
        if info.spec != first:
            raise MediaError(
                f"{path}: {info.spec.describe()} differs from {inputs[0].name}'s {first.describe()}; "
                "re-render both at one quality"
            )
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial{output.suffix}")
    try:
        _copy_packets(inputs, partial, markers or [], Fraction(first.fps), audio)
        result = probe(partial, decode=False)
        expected = sum(p.frames for p in probes)
        if result.frames != expected:
            raise MediaError(f"{output}: joined {result.frames} frames, expected {expected}")
        os.replace(partial, output)
        return result
    finally:
        partial.unlink(missing_ok=True)


def _audio_packets(audio: Path, out: "object") -> list:
    """The packets of an audio-only file, retargeted to a new stream of `out`, latest first."""
    import av

    with av.open(str(audio)) as source:
        template = source.streams.audio[0]
        stream = out.add_stream_from_template(template)  # type: ignore[attr-defined]
        packets = []
        for packet in source.demux(template):
            if packet.dts is None or not packet.size:
                continue
            packet.stream = stream
            packets.append(packet)
    packets.reverse()  # pop() from the end = earliest first
    return packets


def _copy_packets(inputs: list[Path], output: Path, markers: list[Marker], fps: Fraction,
                  audio: Path | None) -> None:
    import av

    with av.open(str(output), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        with av.open(str(inputs[0])) as first:
            template = first.streams.video[0]
            out_stream = out.add_stream_from_template(template)
            frame_ticks = int(round(1 / (fps * template.time_base)))
        pending_audio = _audio_packets(audio, out) if audio is not None else []
        offset = 0  # in the video stream's time base
        for path in inputs:
            with av.open(str(path)) as source:
                in_stream = source.streams.video[0]
                last_end = offset
                for packet in source.demux(in_stream):
                    if packet.dts is None or not packet.size:
                        continue
                    packet.pts = (packet.pts or 0) + offset
                    packet.dts = None
                    packet.stream = out_stream
                    end = packet.pts + (packet.duration or frame_ticks)
                    last_end = max(last_end, end)
                    seconds = float(packet.pts * in_stream.time_base)
                    # Interleave: audio up to this video time goes first.
                    while pending_audio and float(pending_audio[-1].pts * pending_audio[-1].time_base) <= seconds:
                        out.mux(pending_audio.pop())
                    out.mux(packet)
                offset = last_end
        while pending_audio:
            out.mux(pending_audio.pop())
        if markers:
            ticks = int(round(1 / (fps * out_stream.time_base)))
            out.set_chapters([
                {
                    "id": index + 1,
                    "start": marker.start_frame * ticks,
                    "end": marker.end_frame * ticks,
                    "time_base": out_stream.time_base,
                    "metadata": {"title": marker.title},
                }
                for index, marker in enumerate(markers)
            ])
