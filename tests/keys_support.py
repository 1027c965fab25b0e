"""Frame keys of a script's slides, and a copy of the real project to edit (no Manim, no render)."""

from __future__ import annotations

import shutil
from pathlib import Path

from explainer.media.presets import PRESETS
from explainer.pipeline.keys import frame_key, key_inputs
from explainer.script.load import load_lecture

ROOT = Path(__file__).resolve().parents[1]


def keys_of(script: Path, quality: str = "draft") -> dict[str, str]:
    lecture = load_lecture(script)
    return {s.id: frame_key(key_inputs(lecture, s, PRESETS[quality])) for s in lecture.slides}


def copy_project(target: Path) -> Path:
    """The project's scenes, script.yaml and manim.cfg copied into `target`."""
    shutil.copytree(ROOT / "scenes", target / "scenes")
    shutil.copy(ROOT / "script.yaml", target / "script.yaml")
    shutil.copy(ROOT / "manim.cfg", target / "manim.cfg")
    return target
