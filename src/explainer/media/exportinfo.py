"""What an export folder holds, as a record (no PyAV: the no-op path reads it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from explainer.media.presets import EXPORT_INFO


@dataclass(frozen=True)
class ExportedStep:
    """A step as exported: its name, where it starts in the clip (seconds) and its frames."""

    name: str
    start: float
    frames: int

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "start": self.start, "frames": self.frames}

    @staticmethod
    def from_json(data: dict) -> ExportedStep:
        return ExportedStep(str(data["name"]), float(data["start"]), int(data["frames"]))


@dataclass(frozen=True)
class ExportInfo:
    """What an export folder holds (written last, as info.json: its presence means complete)."""

    steps: tuple[ExportedStep, ...]
    poster_frame: int

    def to_json(self) -> dict[str, object]:
        return {"steps": [s.to_json() for s in self.steps], "poster_frame": self.poster_frame}

    @staticmethod
    def from_json(data: dict) -> ExportInfo:
        return ExportInfo(tuple(ExportedStep.from_json(s) for s in data["steps"]), int(data["poster_frame"]))

    @staticmethod
    def read(folder: Path) -> ExportInfo | None:
        """The folder's info.json, or None for a folder an interrupted run left incomplete."""
        try:
            return ExportInfo.from_json(json.loads((folder / EXPORT_INFO).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None
