"""Manim's segment writer with held frames converted to the encoder's pixel format once, not per frame."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder


class HoldEncoder(VideoSegmentEncoder):
    """A segment encoder that, for a frame repeated n times (Manim's static `wait()`), copies the
    RGBA array and converts it to YUV once and hands x264 the same picture n times.

    Manim builds a new VideoFrame from the array and converts it on every repeat: at 1080p that
    is most of a held frame's cost, and holds are most of a slide's frames. The conversion is the
    one PyAV's encoder would make (same reformatter, defaults and size), so the bytes are equal.
    """

    def write_frame(self, pixels: Any, *, repeat: int = 1) -> None:
        if repeat == 1:
            super().write_frame(pixels, repeat=1)
            return
        self._validate_frame(pixels, repeat)
        context = self._stream.codec_context
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(
                context.width, context.height, context.format, threads=context.thread_count)
            for _ in range(repeat):
                # x264 copies each picture it is given, so one frame can be sent again with a new pts.
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class HoldFileWriter(SceneFileWriter):
    """Manim's file writer, writing its segments with HoldEncoder."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            raise RuntimeError("Video segment encoding requires resolved settings.")
        return HoldEncoder(target=target, spec=self.video_encoder)
