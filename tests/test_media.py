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
    from explainer.rendering.holds import HoldEncoder

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


def held_clip(path: Path, runs: list[tuple[int, int]]) -> Path:
    """A lossless clip of flat grey pictures, each (grey level, frames it is held); held frames
    decode identical, as Manim's held frames do."""
    from fractions import Fraction

    import numpy as np

    from gallery_support import FPS

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=Fraction(FPS), options={"qp": "0"})
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for level, count in runs:
            for _ in range(count):
                frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), level, np.uint8), format="rgb24")
                for packet in stream.encode(frame):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def shown(webm: Path, fps: int) -> list[tuple[int, float]]:
    """Each picture of a webm: the frame it is shown from, and its mean grey level."""
    with av.open(str(webm)) as container:
        stream = container.streams.video[0]
        return [(round(float(frame.pts * stream.time_base) * fps), float(frame.to_ndarray(format="gray").mean()))
                for frame in container.decode(stream)]


def grey(level: int) -> float:
    import numpy as np

    image = av.VideoFrame.from_ndarray(np.full((48, 64, 3), level, np.uint8), format="rgb24")
    return float(image.to_ndarray(format="gray").mean())


def test_webm_encodes_each_picture_once_and_shows_it_for_as_long_as_the_clip(tmp_path):
    from explainer.media.webm import check_webm, encode_webm
    from gallery_support import FPS

    runs = [(30, 1), (90, 6), (150, 1), (200, 1), (60, 9), (120, 4)]   # (grey level, frames it is held)
    clip = held_clip(tmp_path / "held.mp4", runs)
    total = sum(count for _, count in runs)
    webm = tmp_path / "held.webm"
    encoded = encode_webm(clip, webm, FPS)
    # One frame per picture, and the last picture again at the clip's last frame.
    assert encoded.frames == total and encoded.pictures == len(runs) + 1
    check_webm(webm, total, FPS, encoded.pictures)
    with pytest.raises(MediaError, match="not timed"):
        check_webm(webm, total + 1, FPS, encoded.pictures)
    starts = [sum(count for _, count in runs[:n]) for n in range(len(runs))] + [total - 1]
    pictures = shown(webm, FPS)
    assert [index for index, _ in pictures] == starts
    assert [mean for _, mean in pictures] == pytest.approx([grey(level) for level, _ in runs + runs[-1:]], abs=3)


def test_pieces_webms_join_and_take_narration_by_packet_copy(tmp_path):
    import numpy as np

    from explainer.media.audio import SAMPLE_RATE
    from explainer.media.webm import check_webm, encode_rendition, join_renditions, mux_webm
    from gallery_support import FPS

    pieces = [[(40, 3), (100, 5)], [(180, 4), (70, 2)]]
    parts = []
    for number, runs in enumerate(pieces):
        clip = held_clip(tmp_path / f"piece{number}.mp4", runs)
        encoded = encode_rendition(clip, tmp_path / f"piece{number}.webm", FPS)
        parts.append((tmp_path / f"piece{number}.webm", encoded.frames))
    joined = tmp_path / "joined.webm"
    join_renditions(parts, joined, FPS)
    check_webm(joined, 14, FPS)
    # Each piece's pictures at their frames in the whole clip; each piece's last frame encoded too.
    assert [index for index, _ in shown(joined, FPS)] == [0, 3, 7, 8, 12, 13]
    assert [mean for _, mean in shown(joined, FPS)] == pytest.approx(
        [grey(level) for level in (40, 100, 100, 180, 70, 70)], abs=3)
    track = tmp_path / "track.npy"
    np.save(track, np.zeros(14 * SAMPLE_RATE // FPS, np.float32))
    webm = tmp_path / "slide.webm"
    mux_webm(joined, 14, webm, FPS, track)
    check_webm(webm, 14, FPS, 6)
    with av.open(str(webm)) as container:
        assert [s.codec_context.name for s in container.streams] == ["vp9", "opus"]
        assert container.duration / 1e6 == pytest.approx(14 / FPS, abs=0.025)


def test_stills_are_decoded_from_the_keyframe_before_them_exactly(tmp_path):
    import numpy as np
    from PIL import Image

    from explainer.media.webm import save_frames

    # Distinct pictures, a keyframe every 5 frames, B-frames (x264's default preset).
    clip = make_video(tmp_path / "clip.mp4", 40, options={"g": "5", "keyint_min": "5"})
    with av.open(str(clip)) as container:
        decoded = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    wanted = [(17, tmp_path / "a.png"), (0, tmp_path / "b.png"), (39, tmp_path / "c.png"),
              (5, tmp_path / "d.png"), (4, tmp_path / "e.png"), (17, tmp_path / "f.png")]
    save_frames(clip, wanted)
    for index, path in wanted:
        assert np.array_equal(np.asarray(Image.open(path).convert("RGB")), decoded[index]), index
