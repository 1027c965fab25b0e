"""A deck's content read from manifest.json (the published contract), independent of any format."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from explainer.deliver.contract import ManifestSlide, ManifestStep, read_manifest
from explainer.errors import MediaError


@dataclass(frozen=True)
class DeckStep:
    """One step of a lecture slide: what one deck slide plays, shows and says."""

    slide_id: str
    slide_title: str
    number: int          # 1-based, within its lecture slide
    count: int           # steps in its lecture slide
    name: str
    clip: Path           # the step clip (mp4 with its narration), absolute
    still: Path          # its last frame (PNG), absolute
    narration: tuple[str, ...]
    seconds: float

    @property
    def label(self) -> str:
        """A file-name stem unique in the deck: the slide id and the step number."""
        return f"{self.slide_id}-{self.number:02d}"

    @property
    def notes(self) -> str:
        """The speaker notes: the step's narration, or a line saying it has none."""
        return "\n".join(self.narration) if self.narration else f"（此步驟無旁白：{self.name}）"


@dataclass(frozen=True)
class DeckChapter:
    """A chapter: its title and its slides' steps in order."""

    id: str
    title: str
    steps: tuple[DeckStep, ...]


@dataclass(frozen=True)
class Deck:
    """What every deck format shows: a title card, then each chapter's steps."""

    name: str            # "lecture" or a chapter id
    title: str
    chapters: tuple[DeckChapter, ...]
    width: int           # the clips' frame size
    height: int
    fps: int

    @property
    def steps(self) -> tuple[DeckStep, ...]:
        return tuple(step for chapter in self.chapters for step in chapter.steps)


def load_deck(out: Path, name: str, title: str | None = None) -> Deck:
    """The deck for `name` ("lecture" or a chapter id) from `out`/manifest.json.

    Refuses a manifest whose slides are stale or lack step clips and stills: a deck never plays
    an old clip.
    """
    manifest = read_manifest(out / "manifest.json")
    slides = {slide.id: slide for slide in manifest.slides}
    chapters = [c for c in manifest.chapters if name in ("lecture", c.id)]
    if not chapters:
        raise MediaError(f"{out / 'manifest.json'}: no chapter '{name}'")
    built = []
    for chapter in chapters:
        steps = []
        for slide_id in chapter.slides:
            slide = slides[slide_id]
            if slide.stale or not slide.steps:
                raise MediaError(f"slide '{slide_id}' has no current step clips and stills; render it first")
            for number, step in enumerate(slide.steps, 1):
                steps.append(_deck_step(out, slide, number, step))
        built.append(DeckChapter(chapter.id, chapter.title, tuple(steps)))
    with Image.open(built[0].steps[0].still) as image:
        width, height = image.size
    first = slides[chapters[0].slides[0]]
    # The script names no lecture title: a chapter deck takes its chapter's, the lecture its
    # first slide's (the lecture's title card), unless `deck --title` gives one.
    default_title = chapters[0].title if name != "lecture" else first.title
    return Deck(name, title or default_title, tuple(built), width, height, round(first.fps))


def _deck_step(out: Path, slide: ManifestSlide, number: int, step: ManifestStep) -> DeckStep:
    if step.clip is None or step.still is None or step.frames is None:
        raise MediaError(f"slide '{slide.id}' has no current step clips and stills; render it first")
    clip, still = out / step.clip, out / step.still
    for path in (clip, still):
        if not path.is_file():
            raise MediaError(f"{path} is missing; render '{slide.id}' again")
    return DeckStep(slide.id, slide.title, number, len(slide.steps), step.name, clip, still,
                    tuple(segment.text for segment in step.segments), step.frames / slide.fps)


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link `source` as `target` (a copy across file systems), replacing what is there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() or target.is_symlink():
        if target.samefile(source):
            return
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
