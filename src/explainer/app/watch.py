"""`explainer watch`: re-render the slides whose inputs change as the lecturer saves files."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from explainer.app.commands import render
from explainer.pipeline.paths import Paths
from explainer.script import scan
from explainer.script.load import ScriptInvalid, load_lecture

POLL_SECONDS = 0.4
SETTLE_SECONDS = 0.3  # editors save in several writes; wait until the files stop changing


def watched_files(script: Path) -> dict[Path, tuple[int, int]]:
    """Modification time and size of everything that can change a frame."""
    root = script.resolve().parent
    candidates = [script, root / "manim.cfg", *sorted((root / "scenes").glob("*.py")),
                  *sorted(scan.PACKAGE_DIR.rglob("*.py"))]
    state = {}
    for path in candidates:
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def watch(script: Path, shown_as: str, paths: Paths, jobs: int, max_rounds: int | None = None) -> int:
    """Render now, then again after every change, until interrupted (or `max_rounds` renders)."""
    rounds = 0
    seen = watched_files(script)
    while True:
        try:
            lecture = load_lecture(script, shown_as)
        except ScriptInvalid as invalid:
            for problem in invalid.problems:
                print(problem, file=sys.stderr)
            print("watch: fix the script and save; nothing was rendered", file=sys.stderr, flush=True)
        else:
            render(lecture, paths, [], jobs, force=False)
        rounds += 1
        if max_rounds is not None and rounds >= max_rounds:
            return 0
        print(f"watch: waiting for changes to {shown_as}, scenes/ or the package (Ctrl-C to stop)",
              file=sys.stderr, flush=True)
        while True:
            time.sleep(POLL_SECONDS)
            now = watched_files(script)
            if now != seen:
                while True:  # let the save finish
                    time.sleep(SETTLE_SECONDS)
                    settled = watched_files(script)
                    if settled == now:
                        break
                    now = settled
                changed = sorted(p.name for p in set(now) | set(seen) if now.get(p) != seen.get(p))
                print(f"watch: changed: {', '.join(changed)}", file=sys.stderr, flush=True)
                seen = now
                break
