"""manim-slides presentation files: slides/<name>.json and its clips, for `manim-slides present`."""

from __future__ import annotations

import json
from pathlib import Path

from explainer.deliver.decks.model import Deck, link_or_copy
from explainer.files import write_text

# manim-slides (5.x) reads slides/<Name>.json, a PresentationConfig: a list of slides, each a
# video `file` and `rev_file` (played when going back with its REVERSE key) given relative to the
# folder that holds slides/, plus loop/auto_next/notes; and the presentation's resolution and
# background colour. Our step clips are those videos as they are (hard-linked under
# slides/files/<Name>/), the narration their notes. A reversed clip would be a re-encode per step
# for a key few presenters use, so rev_file names the forward clip: reverse replays the step.
# ASCII JSON (escaped Chinese): manim-slides opens it in the platform's default encoding.


def presentation(deck: Deck, files: str) -> dict:
    """The PresentationConfig for the deck, its clips under `files` (relative to slides/'s parent)."""
    slides = []
    for step in deck.steps:
        clip = f"{files}/{step.label}.mp4"
        slides.append({"file": clip, "rev_file": clip, "loop": False, "auto_next": False,
                       "playback_rate": 1.0, "reversed_playback_rate": 1.0, "notes": step.notes,
                       "dedent_notes": True, "skip_animations": False, "src": None, "type": "video",
                       "direction": "horizontal"})
    return {"slides": slides, "resolution": [deck.width, deck.height], "background_color": "black"}


def write_manim_slides(deck: Deck, out: Path) -> Path:
    """Write `out`/slides/<deck name>.json and link its clips; returns the JSON's path.

    Run `manim-slides present <name>` in `out` (its presenter needs Qt, not installed here).
    """
    files = f"slides/files/{deck.name}"
    folder = out / files
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for step in deck.steps:
        link_or_copy(step.clip, folder / f"{step.label}.mp4")
        wanted.add(f"{step.label}.mp4")
    for stale in folder.glob("*.mp4"):
        if stale.name not in wanted:
            stale.unlink()
    target = out / "slides" / f"{deck.name}.json"
    write_text(target, json.dumps(presentation(deck, files), indent=2) + "\n")
    return target
