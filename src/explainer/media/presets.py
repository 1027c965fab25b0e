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


# x264 at `ultrafast` crf 24 instead of Manim's `medium` crf 23 (bench/RESULTS.md, "Frame cost"):
# on moving 1080p60 slide frames it takes ~40% less encoder CPU than `superfast` crf 21 (9.0
# against 14.7 ms a frame), which took ~58% less than medium, with luma PSNR as high (54.6 against
# 52.6 dB; both far past what an eye tells apart). The price is size, ~1.7x superfast's
# (~1.4 Mbit/s at high): look-ahead, sub-pixel search and CABAC buy little on flat, mostly still
# slides. Draft keeps Manim's default: its frames are cheap to encode.
FAST_X264 = (("crf", "24"), ("preset", "ultrafast"))

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
