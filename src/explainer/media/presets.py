"""Quality presets: frame size, rate and encoder spec for each named quality."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Preset:
    """One quality: every clip rendered at it shares this spec, so stitching is a packet copy."""

    name: str
    width: int
    height: int
    fps: int
    codec: str = "libx264"
    pix_fmt: str = "yuv420p"
    # libx264 options Manim encodes with (crf 23 is Manim's own default, stated so the key holds it).
    encoder_options: tuple[tuple[str, str], ...] = (("crf", "23"),)

    def key_data(self) -> dict[str, object]:
        return asdict(self)


# x264 at `superfast` crf 21 instead of Manim's `medium` crf 23 (bench/RESULTS.md, "Frame cost"):
# on 1080p60 slide frames it took ~58% less encoder CPU with luma PSNR as high as medium's on
# moving frames (50.2 vs 48.5 dB; both far past what an eye tells apart) for files up to ~30%
# larger. medium's look-ahead and sub-pixel search buy little on flat, mostly still slides.
# Draft keeps Manim's default: measured only at high, and draft frames are cheap to encode.
FAST_X264 = (("crf", "21"), ("preset", "superfast"))

PRESETS: dict[str, Preset] = {
    "draft": Preset("draft", 854, 480, 15),
    "medium": Preset("medium", 1280, 720, 30, encoder_options=FAST_X264),
    "high": Preset("high", 1920, 1080, 60, encoder_options=FAST_X264),
    "4k": Preset("4k", 3840, 2160, 60, encoder_options=FAST_X264),
}


# Narration in every output: mono AAC at 48 kHz. FFmpeg's AAC at 96 kbit/s lifted speech peaks by
# about 3 dB (past the -1 dBTP ceiling); at 192 kbit/s they stay within 0.2 dB. The fast coder is
# 1.4x faster than the default with the same peaks.
AUDIO_SPEC: dict[str, object] = {"codec": "aac", "rate": 48_000, "layout": "mono", "bit_rate": 192_000,
                                 "options": {"aac_coder": "fast"}}

EXPORT_INFO = "info.json"  # written last into an export folder: its presence means complete
