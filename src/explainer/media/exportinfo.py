"""What an export folder holds, as a record (no PyAV: the no-op path reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explainer.codec import read_record
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

    @staticmethod
    def read(folder: Path) -> ExportInfo | None:
        """The folder's info.json, or None for a folder an interrupted run left incomplete."""
        return read_record(ExportInfo, folder / EXPORT_INFO)
