"""Where every output, cache and work file lives under the media folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explainer.media.presets import PRESETS, Preset


@dataclass(frozen=True)
class Paths:
    """The media folder's layout for one quality (outputs) and its caches (shared by qualities)."""

    media: Path
    quality: str

    @property
    def preset(self) -> Preset:
        """The quality's preset (size, fps, encoder): outputs here are all made to it."""
        return PRESETS[self.quality]

    @property
    def out(self) -> Path:
        return self.media / self.quality

    @property
    def cache(self) -> Path:
        return self.media / ".cache"

    @property
    def lock(self) -> Path:
        return self.media / ".lock"

    def clip(self, slide_id: str) -> Path:
        return self.out / "clips" / f"{slide_id}.mp4"

    def chapter_video(self, chapter_id: str) -> Path:
        return self.out / "chapters" / f"{chapter_id}.mp4"

    @property
    def lecture_video(self) -> Path:
        return self.out / "lecture.mp4"

    @property
    def manifest(self) -> Path:
        return self.out / "manifest.json"

    def webm(self, slide_id: str) -> Path:
        return self.out / "clips" / f"{slide_id}.webm"

    def poster(self, slide_id: str) -> Path:
        return self.out / "clips" / f"{slide_id}.png"

    def steps_dir(self, slide_id: str) -> Path:
        return self.out / "steps" / slide_id

    def subtitle(self, name: str, extension: str) -> Path:
        return self.out / "subtitles" / f"{name}.{extension}"

    def exports(self, export_key: str) -> Path:
        """Exports of one clip (webm, poster, steps), stored by export key like clips by frame key."""
        return self.cache / "exports" / export_key

    def export_state(self, slide_id: str) -> Path:
        return self.cache / "state" / self.quality / "exports" / f"{slide_id}.json"

    def preview(self, slide_id: str) -> Path:
        return self.out / "previews" / f"{slide_id}.png"

    # Clips stored by frame key: undoing an edit finds its clip again without rendering.
    def store_clip(self, key: str) -> Path:
        return self.cache / "store" / f"{key}.mp4"

    def store_rendition(self, key: str) -> Path:
        """A stored clip's video-only webm, by rendition key (see plan.rendition_key)."""
        return self.cache / "store" / f"{key}.webm"

    def store_meta(self, key: str) -> Path:
        return self.cache / "store" / f"{key}.json"

    @property
    def voice_cache(self) -> Path:
        """Voiced segments by content (shared by qualities: a segment sounds the same in each)."""
        return self.cache / "voice"

    @property
    def tracks(self) -> Path:
        """Each clip's narration track (mono samples) by the key of what it holds."""
        return self.cache / "tracks"

    def encoded_audio(self, key: str) -> Path:
        """A narration track encoded as AAC (audio-only mp4), joined into videos by packet copy."""
        return self.cache / "audio" / f"{key}.m4a"

    def sidecar(self, slide_id: str) -> Path:
        return self.cache / "state" / self.quality / "slides" / f"{slide_id}.json"

    def subtitle_state(self, slide_id: str) -> Path:
        """A slide's cues and the segments they were split from: unchanged segments are not
        split again (the word segmenter stays off the no-op path)."""
        return self.cache / "state" / self.quality / "subtitles" / f"{slide_id}.json"

    def stitch_state(self, name: str) -> Path:
        return self.cache / "state" / self.quality / "stitched" / f"{name}.json"

    def work(self, slide_id: str) -> Path:
        """The slide's own persistent Manim media folder (never shared between processes)."""
        return self.cache / "manim" / self.quality / slide_id

    def relative(self, path: Path) -> str:
        return str(path.relative_to(self.out))
