"""What an export folder holds, as a record (no PyAV: the no-op path reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explainer.codec import encode, read_record
from explainer.media.presets import EXPORT_INFO


@dataclass(frozen=True)
class ExportedStep:
    """A step as exported: its name, where it starts in the clip (seconds) and its frames."""

    name: str
    start: float
    frames: int


@dataclass(frozen=True)
class ExportInfo:
    """What an export folder holds (written last, as info.json: its presence means complete)."""

    steps: tuple[ExportedStep, ...]
    poster_frame: int

    def to_json(self) -> dict[str, Any]:
        # media/cut.py writes info.json through this. cut.py's source is in every export key, so it
        # keeps calling this name rather than the codec: editing it would rebuild every export.
        return encode(self)

    @staticmethod
    def read(folder: Path) -> ExportInfo | None:
        """The folder's info.json, or None for a folder an interrupted run left incomplete."""
        return read_record(ExportInfo, folder / EXPORT_INFO)
