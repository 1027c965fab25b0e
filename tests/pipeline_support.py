"""Helpers for end-to-end tests: run the real CLI on a copy of the mini fixture lecture."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
