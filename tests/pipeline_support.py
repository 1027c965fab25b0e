"""Helpers for end-to-end tests: run the real CLI on a copy of the mini fixture lecture."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import av
import numpy as np

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def explainer(project: Path, *args: str, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m explainer ARGS` in `project` and wait for it."""
    return subprocess.run([sys.executable, "-m", "explainer", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def mtimes(folder: Path) -> dict[str, int]:
    """Modification times of every video under `folder`, by relative path."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*.mp4"))}


def manifest(project: Path) -> dict:
    return json.loads((project / "media" / "draft" / "manifest.json").read_text(encoding="utf-8"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def worst_webm_psnr(webm: Path, clip: Path, fps: int) -> float:
    """The lowest luma PSNR, over every frame of the clip, of the picture the webm shows at that
    frame's time (the webm encodes a held picture once and shows it until the next)."""
    with av.open(str(webm)) as container:
        stream = container.streams.video[0]
        shown = [(round(float(frame.pts * stream.time_base) * fps), frame.to_ndarray(format="gray").astype(float))
                 for frame in container.decode(stream)]
    worst, index = math.inf, -1
    with av.open(str(clip)) as container:
        for index, frame in enumerate(container.decode(container.streams.video[0])):
            picture = next(image for start, image in reversed(shown) if start <= index)
            error = np.mean((picture - frame.to_ndarray(format="gray")) ** 2)
            worst = min(worst, 10 * math.log10(255**2 / max(error, 1e-9)))
    assert shown[0][0] == 0 and shown[-1][0] == index, "the webm starts and ends with the clip"
    return worst
