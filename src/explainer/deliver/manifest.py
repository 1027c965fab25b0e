"""manifest.json: what was published, in lecture order, for outside tools (decks, players, scripts)."""

from __future__ import annotations

from explainer.codec import read_record, write_record
from explainer.deliver.contract import (
    Manifest,
    ManifestChapter,
    ManifestLecture,
    ManifestOutro,
    ManifestSlide,
    ManifestStep,
    SubtitleFiles,
)
from explainer.deliver.exports import ExportRecord
from explainer.pipeline.paths import Paths
from explainer.pipeline.records import Sidecar
from explainer.pipeline.stitch import StitchState
from explainer.script.load import Lecture, Slide


def write_manifest(lecture: Lecture, paths: Paths, current: dict[str, Sidecar], keys: dict[str, str],
                   rendered: set[str], exports: dict[str, ExportRecord] | None = None,
                   subtitles: dict[str, SubtitleFiles] | None = None) -> Manifest:
    """manifest.json: every slide in lecture order, the chapters and the lecture (paths relative)."""
    exports, subtitles = exports or {}, subtitles or {}
    slides = tuple(_slide(slide, paths, current.get(slide.id), exports.get(slide.id), keys.get(slide.id),
                          slide.id in rendered, subtitles.get(slide.id))
                   for slide in lecture.slides)
    chapters = []
    for chapter in lecture.chapters:
        state = read_record(StitchState, paths.stitch_state(f"chapter-{chapter.id}"))
        video = paths.chapter_video(chapter.id)
        chapters.append(ManifestChapter(
            chapter.id, chapter.title, paths.relative(video) if video.is_file() else None,
            state.frames if state else None, state.duration if state else None,
            tuple(s.id for s in chapter.slides), any(s.id not in current for s in chapter.slides),
            subtitles.get(chapter.id)))
    state = read_record(StitchState, paths.stitch_state("lecture"))
    lecture_entry = ManifestLecture(
        paths.relative(paths.lecture_video) if paths.lecture_video.is_file() else None,
        state.frames if state else None, state.duration if state else None,
        any(s.id not in current for s in lecture.slides), subtitles.get("lecture"))
    manifest = Manifest(quality=paths.quality, slides=slides, chapters=tuple(chapters), lecture=lecture_entry)
    write_record(paths.manifest, manifest, only_if_changed=True)   # a no-op run leaves it untouched
    return manifest


def _slide(slide: Slide, paths: Paths, sidecar: Sidecar | None, record: ExportRecord | None, key: str | None,
           rendered: bool, subtitles: SubtitleFiles | None) -> ManifestSlide:
    if sidecar is None:
        return ManifestSlide(slide.id, slide.chapter_id, slide.scene, slide.title, key, rendered,
                             clip=None, frames=None, duration=None, stale=True)
    if record is None:   # its exports failed: the steps as the clip marks them
        steps = tuple(ManifestStep(s.name, s.start) for s in sidecar.steps)
    else:
        folder = paths.steps_dir(slide.id)
        steps = tuple(ManifestStep(step.name, step.start, step.frames, paths.relative(folder / f"{n:02d}.mp4"),
                                   paths.relative(folder / f"{n:02d}.png"),
                                   tuple(s for s in sidecar.segments if s.step == step.name))
                      for n, step in enumerate(record.steps, 1))
    outro = None
    if sidecar.outro is not None:
        outro = ManifestOutro(round(sidecar.outro / paths.preset.fps, 6), sidecar.outro,
                              sidecar.frames - sidecar.outro)
    return ManifestSlide(
        slide.id, slide.chapter_id, slide.scene, slide.title, key, rendered,
        clip=paths.relative(paths.clip(slide.id)), frames=sidecar.frames, duration=sidecar.duration, stale=False,
        steps=steps, narration=sidecar.segments,
        webm=paths.relative(paths.webm(slide.id)) if record else None,
        poster=paths.relative(paths.poster(slide.id)) if record else None,
        subtitles=subtitles, outro=outro)
