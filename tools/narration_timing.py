"""Developer aid: how picture and voice line up, per step, from a render's manifest.json.

Usage: python tools/narration_timing.py media/draft/manifest.json [--silence 1.5]

For each step: its length, when its words end, and the silence after them (the animation
running on after the voice). Steps with more silence than --silence are marked with '!'.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("--silence", type=float, default=1.5)
    args = parser.parse_args()
    data = json.loads(args.manifest.read_text(encoding="utf-8"))
    fps = {"draft": 15, "medium": 30, "high": 60, "4k": 60}[data["quality"]]
    flagged = total = 0
    for slide in data["slides"]:
        print(f"{slide['id']} ({slide['duration']:.1f} s)")
        for step in slide.get("steps", []):
            seconds = step["frames"] / fps
            segments = step.get("segments", [])
            spoken_end = max((s["start"] + s["seconds"] for s in segments), default=step["start"])
            silence = step["start"] + seconds - spoken_end
            mark = "!" if silence > args.silence and segments else " "
            flagged += mark == "!"
            total += 1
            words = sum(s["seconds"] for s in segments)
            print(f"  {mark} {step['name']:<16} {seconds:6.2f} s  words {words:5.2f} s  silence after {silence:5.2f} s")
    print(f"{flagged} of {total} steps hold more than {args.silence} s of silence after their words")


if __name__ == "__main__":
    main()
