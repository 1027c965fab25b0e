"""A render's Manim folder is marked dirty while a render works in it: a folder still marked was
left by a render that was killed, and is wiped rather than trusted."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

DIRTY_MARK = ".dirty"


def prepare_work_folder(work: Path, wipe: bool) -> None:
    """Mark the slide's Manim folder dirty; a folder still dirty from a killed run is wiped first."""
    if wipe or (work / DIRTY_MARK).exists():
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    (work / DIRTY_MARK).write_text(str(os.getpid()))


def mark_clean(work: Path) -> None:
    """The render in `work` finished: its files can be trusted by the next one."""
    (work / DIRTY_MARK).unlink(missing_ok=True)
