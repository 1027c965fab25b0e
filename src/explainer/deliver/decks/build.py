"""Every deck of one target (the lecture or a chapter) from a render's manifest.json."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explainer.deliver.decks.manim_slides import write_manim_slides
from explainer.deliver.decks.model import load_deck
from explainer.deliver.decks.pptx import write_pptx
from explainer.deliver.decks.reveal import write_reveal
from explainer.errors import MediaError


@dataclass(frozen=True)
class DeckFiles:
    """What one target's deck build wrote, and why the browser deck was not written if it was not."""

    name: str
    steps: int
    pptx: Path
    manim_slides: Path
    html: Path | None
    html_error: str | None = None


def deck_paths(out: Path, name: str) -> tuple[Path, Path]:
    """The .pptx and the browser deck's folder: deck.pptx and deck/ for the lecture,
    decks/<chapter>.pptx and decks/<chapter>/ for a chapter."""
    if name == "lecture":
        return out / "deck.pptx", out / "deck"
    return out / "decks" / f"{name}.pptx", out / "decks" / name


def build_deck(out: Path, name: str, title: str | None = None) -> DeckFiles:
    """Write the PowerPoint deck, the manim-slides files and the reveal.js folder for `name`."""
    deck = load_deck(out, name, title)
    pptx, folder = deck_paths(out, name)
    write_pptx(deck, pptx)
    manim_slides = write_manim_slides(deck, out)
    try:
        html: Path | None = write_reveal(deck, folder)
        error = None
    except MediaError as missing:   # reveal.js not installed: the other decks still stand
        html, error = None, str(missing)
    return DeckFiles(name, len(deck.steps), pptx, manim_slides, html, error)
