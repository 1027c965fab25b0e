"""manifest.json's records: the published contract that decks, the gallery and outside tools read.

Paths in it are relative to the quality's output folder. Version 1 (no `version` key) is read as
well: it had the same keys, left out those it had no value for (a slide's exports, its narration,
a segment's `spoken`) where version 2 writes null or empty, so each of them has a default here.
A slide's `outro` came later within version 2: optional, null in manifests written before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from explainer.codec import CodecError, decode
from explainer.errors import MediaError
from explainer.files import read_json
from explainer.pipeline.records import SpokenSegment

MANIFEST_VERSION = 2   # 2: `version`, every key written (null when unknown); 1: keys left out instead


@dataclass(frozen=True)
class SubtitleFiles:
    """The subtitle files of a slide, a chapter or the lecture."""

    vtt: str
    srt: str


@dataclass(frozen=True)
class ManifestStep:
    """One animation step of a slide: where it starts in the clip, and, once the slide's exports
    are built, its own clip (with its narration), its last frame as a still and its segments."""

    name: str
    start: float
    frames: int | None = None
    clip: str | None = None
    still: str | None = None
    segments: tuple[SpokenSegment, ...] = ()


@dataclass(frozen=True)
class ManifestOutro:
    """A clip's tail after its last step, in no step: the picture fades to the background, which
    then holds (a frame; at the end of a chapter, a silent breath of about a second). `start` and
    `frame` are where it begins in the clip (seconds, and the frame number from 0); `frames` how
    many it has, to the clip's end. Step clips, stills and the poster end before it."""

    start: float
    frame: int
    frames: int


@dataclass(frozen=True)
class ManifestSlide:
    """A slide in lecture order: its published clip, or none and `stale` when its clip is not the
    one its frame key asks for; `rendered` when this run rendered it."""

    id: str
    chapter: str
    scene: str
    title: str
    key: str | None
    rendered: bool
    clip: str | None
    frames: int | None
    duration: float | None
    stale: bool
    steps: tuple[ManifestStep, ...] = ()
    narration: tuple[SpokenSegment, ...] = ()
    webm: str | None = None
    poster: str | None = None
    subtitles: SubtitleFiles | None = None
    outro: ManifestOutro | None = None   # null: the clip ends on its last step (or has no clip)

    @property
    def fps(self) -> float:
        """Frames a second of its clip (only for a slide with a clip)."""
        if self.frames is None or not self.duration:
            raise MediaError(f"slide '{self.id}' has no clip: render it first")
        return self.frames / self.duration


@dataclass(frozen=True)
class ManifestChapter:
    """A chapter: its stitched video (None until all its slides are current) and its slides' ids."""

    id: str
    title: str
    video: str | None
    frames: int | None
    duration: float | None
    slides: tuple[str, ...]
    stale: bool
    subtitles: SubtitleFiles | None = None


@dataclass(frozen=True)
class ManifestLecture:
    """The whole lecture's stitched video (None until every slide is current)."""

    video: str | None
    frames: int | None
    duration: float | None
    stale: bool
    subtitles: SubtitleFiles | None = None


@dataclass(frozen=True)
class Manifest:
    """What a render published at one quality, in lecture order."""

    # First in the file, so a reader sees which format it holds before anything else.
    version: int = field(default=MANIFEST_VERSION, kw_only=True)
    quality: str
    slides: tuple[ManifestSlide, ...]
    chapters: tuple[ManifestChapter, ...]
    lecture: ManifestLecture


def read_manifest(path: Path) -> Manifest:
    """The manifest at `path`; MediaError, saying what to do, when there is none, it is newer than
    this code reads, or it is not a manifest."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise MediaError(f"{path}: no manifest here (missing or not JSON); render first (`./run.sh render`)")
    version = data.get("version", 1)   # version 1 had no `version` key
    if isinstance(version, int) and version > MANIFEST_VERSION:
        raise MediaError(f"{path}: manifest version {version!r} is newer than this explainer reads (up to "
                         f"{MANIFEST_VERSION}); render again with this checkout (`./run.sh render`) to rewrite it, "
                         "or update explainer")
    try:
        return decode(Manifest, {**data, "version": version})
    except CodecError as error:
        raise MediaError(f"{path}: not a manifest this explainer can read ({error}); render again "
                         "(`./run.sh render`) to rewrite it") from None
