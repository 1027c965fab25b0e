"""Render each slide's scene (last frame, animations skipped) with the layout check and print its
findings per slide: `python tools/layout_report.py [SLIDE_ID ...]`."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main(argv: list[str]) -> int:
    from scenes_support import lecture, render_last_frame

    slides = argv or [s.id for s in lecture().slides]
    dirty = 0
    with tempfile.TemporaryDirectory() as media:
        for slide_id in slides:
            started = time.monotonic()
            try:
                scene = render_last_frame(slide_id, Path(media), fresh=True)
                findings = list(dict.fromkeys(scene.layout_findings))
            except Exception as error:  # a scene that does not even render is a finding too
                findings = [f"does not render: {type(error).__name__}: {error}"]
            took = time.monotonic() - started
            dirty += bool(findings)
            print(f"== {slide_id}: {len(findings)} finding(s), {took:.1f} s", flush=True)
            for finding in findings:
                print(f"   {finding}", flush=True)
    return 1 if dirty else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
