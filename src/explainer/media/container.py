"""Video probing and lossless concatenation with PyAV (no ffmpeg CLI, no re-encode)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from explainer.errors import MediaError


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
           audio: Path | None = None, subtitles: list[tuple[float, float, str]] | None = None) -> Probe:
    """Join videos of one spec by packet copy into `output` (written atomically, faststart).

    Checks every input's spec first and the output's frame count after: it must equal the sum.
    `audio` (an audio-only mp4 as long as the joined video) has its packets copied in beside
    the video's, interleaved by time: narration joins by packet copy too. `subtitles` (start,
    end, text) become a soft subtitle track (mov_text, language chi).
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
        _copy_packets(inputs, partial, markers or [], Fraction(first.fps), audio, subtitles or [])
        result = probe(partial, decode=False)
        expected = sum(p.frames for p in probes)
        if result.frames != expected:
            raise MediaError(f"{output}: joined {result.frames} frames, expected {expected}")
        os.replace(partial, output)
        return result
    finally:
        partial.unlink(missing_ok=True)


def _audio_packets(audio: Path, out: object) -> list:
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


# mov_text needs an ASS header to open its encoder; players style the text themselves.
SUBTITLE_HEADER = (
    "[Script Info]\r\nScriptType: v4.00+\r\nPlayResX: 384\r\nPlayResY: 288\r\n\r\n[V4+ Styles]\r\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
    "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
    "MarginL, MarginR, MarginV, Encoding\r\n"
    "Style: Default,Noto Sans CJK TC,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0\r\n"
    "\r\n[Events]\r\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\r\n"
)


def _subtitle_packets(out: object, cues: list[tuple[float, float, str]]) -> list:
    """A mov_text stream in `out` and one packet per cue (2-byte length, then UTF-8 text)."""
    import struct

    import av

    stream = out.add_stream("mov_text")  # type: ignore[attr-defined]
    stream.metadata["language"] = "chi"
    stream.codec_context.subtitle_header = SUBTITLE_HEADER.encode()
    stream.codec_context.time_base = Fraction(1, 1000)
    packets = []
    for start, end, text in cues:
        data = text.encode("utf-8")
        packet = av.Packet(struct.pack(">H", len(data)) + data)
        packet.pts = packet.dts = round(start * 1000)
        packet.duration = max(1, round((end - start) * 1000))
        packet.time_base = Fraction(1, 1000)
        packet.stream = stream
        packets.append(packet)
    return packets


def _copy_packets(inputs: list[Path], output: Path, markers: list[Marker], fps: Fraction,
                  audio: Path | None, subtitles: list[tuple[float, float, str]]) -> None:
    import av

    with av.open(str(output), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        with av.open(str(inputs[0])) as first:
            template = first.streams.video[0]
            out_stream = out.add_stream_from_template(template)
            frame_ticks = round(1 / (fps * template.time_base))
        pending_audio = _audio_packets(audio, out) if audio is not None else []
        for packet in _subtitle_packets(out, subtitles) if subtitles else []:
            out.mux(packet)
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
            ticks = round(1 / (fps * out_stream.time_base))
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
