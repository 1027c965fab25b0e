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

    def key_data(self) -> dict[str, object]:
        return asdict(self)


PRESETS: dict[str, Preset] = {
    "draft": Preset("draft", 854, 480, 15),
    "medium": Preset("medium", 1280, 720, 30),
    "high": Preset("high", 1920, 1080, 60),
    "4k": Preset("4k", 3840, 2160, 60),
}
