"""Probing and packet-copy joining on tiny generated clips."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from explainer.errors import MediaError
from explainer.media.container import Marker, concat, probe
from gallery_support import make_video


def make_clip(path: Path, frames: int, size: tuple[int, int] = (64, 48)) -> Path:
    return make_video(path, frames, size=size)


def test_probe_counts_decoded_frames_and_spec(tmp_path):
    info = probe(make_clip(tmp_path / "a.mp4", 17))
    assert info.frames == 17
    assert (info.spec.codec, info.spec.width, info.spec.height, info.spec.pix_fmt, info.spec.fps) == \
        ("h264", 64, 48, "yuv420p", "15")
    assert info.duration == pytest.approx(17 / 15)


def test_join_adds_frames_exactly_and_writes_markers(tmp_path):
    clips = [make_clip(tmp_path / f"{n}.mp4", n) for n in (10, 7, 13)]
    out = tmp_path / "joined.mp4"
    result = concat(clips, out, [Marker("一", 0, 10), Marker("二", 10, 17), Marker("三", 17, 30)])
    assert result.frames == 30 and probe(out).frames == 30
    with av.open(str(out)) as container:
        chapters = container.chapters()
    assert [c["metadata"]["title"] for c in chapters] == ["一", "二", "三"]
    assert float(chapters[1]["start"] * chapters[1]["time_base"]) == pytest.approx(10 / 15, abs=1e-3)
    assert not list(tmp_path.glob(".*partial*")), "temporary file left behind"


def test_join_refuses_mixed_specs_and_keeps_the_old_output(tmp_path):
    out = tmp_path / "joined.mp4"
    out.write_bytes(b"previous good video")
    clips = [make_clip(tmp_path / "a.mp4", 5), make_clip(tmp_path / "b.mp4", 5, size=(80, 48))]
    with pytest.raises(MediaError, match="80x48"):
        concat(clips, out)
    assert out.read_bytes() == b"previous good video"


def test_truncated_clip_is_caught_by_probe(tmp_path):
    clip = make_clip(tmp_path / "a.mp4", 30)
    data = clip.read_bytes()
    clip.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError):
        probe(clip)


def test_held_frames_encode_to_the_same_bytes_as_manims_encoder(tmp_path):
    # The worker's HoldEncoder converts a repeated frame once; the file must not change for it.
    from fractions import Fraction

    import numpy as np
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from explainer.media.presets import PRESETS
    from explainer.pipeline.holds import HoldEncoder

    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", 96, 64, Fraction(15), PRESETS["high"].encoder_options)
    frames = []
    for index in range(3):
        pixels = np.full((64, 96, 4), 255, np.uint8)
        pixels[10 + 8 * index : 30 + 8 * index, 20:70, :3] = (40 * index, 200, 90)
        frames.append(pixels)
    outputs = []
    for encoder_class in (VideoSegmentEncoder, HoldEncoder):
        target = tmp_path / f"{encoder_class.__name__}.mp4"
        encoder = encoder_class(target=target, spec=spec)
        for pixels in frames:
            encoder.write_frame(pixels.copy(), repeat=1)
            encoder.write_frame(pixels.copy(), repeat=7)
        encoder.finish()
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert probe(tmp_path / "HoldEncoder.mp4").frames == 24


def test_webm_encodes_each_picture_once_and_shows_it_for_as_long_as_the_clip(tmp_path):
    from fractions import Fraction

    import numpy as np

    from explainer.media.cut import check_webm, encode_webm
    from gallery_support import FPS

    runs = [(30, 1), (90, 6), (150, 1), (200, 1), (60, 9), (120, 4)]   # (grey level, frames it is held)
    clip = tmp_path / "held.mp4"
    with av.open(str(clip), "w") as container:   # lossless, so held frames decode identical
        stream = container.add_stream("libx264", rate=Fraction(FPS), options={"qp": "0"})
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for level, count in runs:
            for _ in range(count):
                frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), level, np.uint8), format="rgb24")
                for packet in stream.encode(frame):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    total = sum(count for _, count in runs)
    webm = tmp_path / "held.webm"
    encoded = encode_webm(clip, webm, FPS)
    # One frame per picture, and the last picture again at the clip's last frame.
    assert encoded == len(runs) + 1
    check_webm(webm, total, encoded, FPS)
    with pytest.raises(MediaError, match="not timed"):
        check_webm(webm, total + 1, encoded, FPS)
    starts = [sum(count for _, count in runs[:n]) for n in range(len(runs))] + [total - 1]
    levels = [level for level, _ in runs] + [runs[-1][0]]
    with av.open(str(webm)) as container:
        stream = container.streams.video[0]
        shown = [(round(float(frame.pts * stream.time_base) * FPS), float(frame.to_ndarray(format="gray").mean()))
                 for frame in container.decode(stream)]
    assert [index for index, _ in shown] == starts
    grey = [float(np.mean(av.VideoFrame.from_ndarray(np.full((48, 64, 3), level, np.uint8), format="rgb24")
                          .to_ndarray(format="gray"))) for level in levels]
    assert [mean for _, mean in shown] == pytest.approx(grey, abs=3)
