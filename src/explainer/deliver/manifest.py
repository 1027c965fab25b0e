"""manifest.json: what was published, in lecture order, for outside tools (decks, players, scripts)."""

from __future__ import annotations

from explainer.deliver.exports import ExportRecord
from explainer.files import write_json
from explainer.pipeline.paths import Paths
from explainer.pipeline.records import Sidecar
from explainer.pipeline.stitch import StitchState
from explainer.script.load import Lecture


def write_manifest(lecture: Lecture, paths: Paths, current: dict[str, Sidecar], keys: dict[str, str],
                   rendered: set[str], exports: dict[str, ExportRecord] | None = None,
                   subtitles: dict[str, dict[str, str]] | None = None) -> dict:
    """manifest.json: every slide in lecture order, the chapters and the lecture (paths relative)."""
    exports, subtitles = exports or {}, subtitles or {}
    slides = []
    for slide in lecture.slides:
        entry: dict[str, object] = {
            "id": slide.id, "chapter": slide.chapter_id, "scene": slide.scene, "title": slide.title,
            "key": keys.get(slide.id), "rendered": slide.id in rendered,
        }
        sidecar = current.get(slide.id)
        if sidecar is not None:
            segments = [s.to_json() for s in sidecar.segments]
            entry.update(clip=paths.relative(paths.clip(slide.id)), frames=sidecar.frames,
                         duration=sidecar.duration, stale=False,
                         steps=[{"name": s.name, "start": s.start} for s in sidecar.steps],
                         narration=segments)
            record = exports.get(slide.id)
            if record is not None:
                entry.update(
                    webm=paths.relative(paths.webm(slide.id)), poster=paths.relative(paths.poster(slide.id)),
                    steps=[{"name": step.name, "start": step.start, "frames": step.frames,
                            "clip": paths.relative(paths.steps_dir(slide.id) / f"{n:02d}.mp4"),
                            "still": paths.relative(paths.steps_dir(slide.id) / f"{n:02d}.png"),
                            "segments": [seg for seg in segments if seg["step"] == step.name]}
                           for n, step in enumerate(record.steps, 1)],
                )
            if slide.id in subtitles:
                entry["subtitles"] = subtitles[slide.id]
        else:
            entry.update(clip=None, frames=None, duration=None, stale=True)
        slides.append(entry)
    chapters = []
    for chapter in lecture.chapters:
        state = StitchState.read(paths.stitch_state(f"chapter-{chapter.id}"))
        video = paths.chapter_video(chapter.id)
        chapters.append({
            "id": chapter.id, "title": chapter.title,
            "video": paths.relative(video) if video.is_file() else None,
            "frames": state.frames if state else None,
            "duration": state.duration if state else None,
            "slides": [s.id for s in chapter.slides],
            "stale": any(s.id not in current for s in chapter.slides),
            "subtitles": subtitles.get(chapter.id),
        })
    state = StitchState.read(paths.stitch_state("lecture"))
    manifest = {
        "quality": paths.quality,
        "slides": slides,
        "chapters": chapters,
        "lecture": {
            "video": paths.relative(paths.lecture_video) if paths.lecture_video.is_file() else None,
            "frames": state.frames if state else None,
            "duration": state.duration if state else None,
            "stale": any(s.id not in current for s in lecture.slides),
            "subtitles": subtitles.get("lecture"),
        },
    }
    write_json(paths.manifest, manifest, only_if_changed=True)   # a no-op run leaves it untouched
    return manifest
