"""Publishes each current slide's exports (webm, poster, step clips and stills) and every subtitle file."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from explainer.codec import read_record, write_record
from explainer.deliver.contract import SubtitleFiles
from explainer.files import copy_file, write_text
from explainer.hashing import file_hash, sha256_json
from explainer.media.exportinfo import ExportedStep, ExportInfo
from explainer.media.presets import AUDIO_SPEC
from explainer.pipeline.keys import rendition_key
from explainer.pipeline.paths import Paths
from explainer.pipeline.records import Sidecar
from explainer.pipeline.subtitles import slide_cues
from explainer.script.load import Lecture, Slide
from explainer.script.scan import find_scene_classes
from explainer.text.cue_tracks import join_tracks, to_srt, to_vtt

# The code that builds exports: editing it rebuilds them.
EXPORT_MODULES = tuple(Path(__file__).resolve().parent.parent / "media" / name for name in ("cut.py", "webm.py"))


def export_key(frame_key: str, poster_step: str | None, audio_key: str | None = None) -> str:
    """Exports change with the clip, its narration, the export code and the poster choice;
    never re-render for them."""
    return sha256_json({"clip": frame_key, "code": [file_hash(m) for m in EXPORT_MODULES], "poster": poster_step,
                        "audio": audio_key, "audio_spec": AUDIO_SPEC})


def _published(paths: Paths, slide_id: str, steps: int) -> list[tuple[str, Path]]:
    files = [("clip.webm", paths.webm(slide_id)), ("poster.png", paths.poster(slide_id))]
    for n in range(1, steps + 1):   # each step's clip and its last frame as a still
        files += [(f"steps/{n:02d}.{ext}", paths.steps_dir(slide_id) / f"{n:02d}.{ext}") for ext in ("mp4", "png")]
    return files


@dataclass(frozen=True)
class ExportRecord:
    """A slide's published exports: the export key they were made for, the steps cut, the poster's
    frame, and each published file's size (a file of another size was replaced: publish again)."""

    export_key: str
    steps: tuple[ExportedStep, ...]
    poster_frame: int
    sizes: dict[str, int]


def _up_to_date(record: ExportRecord | None, key: str, paths: Paths, slide_id: str) -> bool:
    if record is None or record.export_key != key:
        return False
    for name, path in _published(paths, slide_id, len(record.steps)):
        if not path.is_file() or path.stat().st_size != record.sizes.get(name):
            return False
    return True


def ensure_exports(paths: Paths, slide: Slide, sidecar: Sidecar, poster_step: str | None) -> ExportRecord:
    """Build (or reuse) and publish one slide's exports; returns its export record."""
    key = export_key(sidecar.key, poster_step, sidecar.audio_key)
    record = read_record(ExportRecord, paths.export_state(slide.id))   # None: none yet, or an older format
    if record is not None and _up_to_date(record, key, paths, slide.id):
        return record
    folder = paths.exports(key)
    info = ExportInfo.read(folder)
    if info is None:
        from explainer.media.cut import build_exports  # PyAV: only when something must be built

        rendition = paths.store_rendition(rendition_key(sidecar.key))
        info = build_exports(paths.clip(slide.id), [(s.name, s.frame) for s in sidecar.steps], paths.preset.fps,
                             poster_step, folder, sidecar.track, rendition if rendition.is_file() else None,
                             sidecar.outro)
    steps_dir = paths.steps_dir(slide.id)
    steps_dir.mkdir(parents=True, exist_ok=True)
    wanted = {f"{n:02d}.{ext}" for n in range(1, len(info.steps) + 1) for ext in ("mp4", "png")}
    for stale in [*steps_dir.glob("*.mp4"), *steps_dir.glob("*.png")]:
        if stale.name not in wanted:
            stale.unlink()
    sizes = {}
    for name, target in _published(paths, slide.id, len(info.steps)):
        copy_file(folder / name, target)
        sizes[name] = target.stat().st_size
    record = ExportRecord(key, info.steps, info.poster_frame, sizes)
    write_record(paths.export_state(slide.id), record)
    return record


class EarlyExports:
    """Exports each slide as soon as its clip is published, in a pool of its own, while other
    slides still render: the run no longer ends in an exporting phase with cores (or, on a cluster,
    the workers) idle, and a render thread never waits for an export. A failure is left for
    export_all, which tries again and reports it."""

    def __init__(self, lecture: Lecture, paths: Paths, workers: int) -> None:
        self.lecture, self.paths = lecture, paths
        self.scenes = find_scene_classes(lecture.scenes_dir)
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="export")

    def __call__(self, slide_id: str) -> None:
        self.pool.submit(self._export, slide_id)

    def _export(self, slide_id: str) -> None:
        sidecar = Sidecar.read(self.paths.sidecar(slide_id))
        if sidecar is None:
            return
        slide = self.lecture.slide(slide_id)
        with contextlib.suppress(Exception):   # export_all tries it again and reports the error
            ensure_exports(self.paths, slide, sidecar, self.scenes[slide.scene].poster_step)

    def finish(self, cancel: bool = False) -> None:
        """Wait for the exports started (with `cancel`, drop those not started yet)."""
        self.pool.shutdown(wait=True, cancel_futures=cancel)


def export_all(lecture: Lecture, paths: Paths, current: dict[str, Sidecar],
               jobs: int) -> tuple[dict[str, ExportRecord], dict[str, str]]:
    """Exports for every current slide (in parallel); returns records and errors by slide id."""
    scenes = find_scene_classes(lecture.scenes_dir)
    records: dict[str, ExportRecord] = {}
    errors: dict[str, str] = {}

    def one(slide: Slide) -> None:
        try:
            records[slide.id] = ensure_exports(paths, slide, current[slide.id], scenes[slide.scene].poster_step)
        except Exception as error:
            errors[slide.id] = f"{type(error).__name__}: {error}"

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(one, [s for s in lecture.slides if s.id in current]))
    return records, errors


def _write_pair(paths: Paths, name: str, cues: list) -> SubtitleFiles:
    vtt, srt = paths.subtitle(name, "vtt"), paths.subtitle(name, "srt")
    write_text(vtt, to_vtt(cues), only_if_changed=True)
    write_text(srt, to_srt(cues), only_if_changed=True)
    return SubtitleFiles(paths.relative(vtt), paths.relative(srt))


def write_subtitles(lecture: Lecture, paths: Paths, current: dict[str, Sidecar]) -> dict[str, SubtitleFiles]:
    """Subtitles from the narration: each segment's cues inside the time its voice speaks; chapter
    and lecture tracks are the slides' cues shifted by exact frame offsets. Written only when
    their text changes."""
    fps = paths.preset.fps
    tracks: dict[str, list] = {}
    written: dict[str, SubtitleFiles] = {}
    for slide in lecture.slides:
        if slide.id not in current:
            continue
        tracks[slide.id] = slide_cues(paths, slide.id, current[slide.id].segments)
        written[slide.id] = _write_pair(paths, slide.id, tracks[slide.id])

    def joined(slides: list[Slide]) -> list:
        offset, parts = 0, []
        for slide in slides:
            parts.append((offset / fps, tracks[slide.id]))
            offset += current[slide.id].frames
        return join_tracks(parts)

    for chapter in lecture.chapters:
        if all(s.id in tracks for s in chapter.slides):
            written[chapter.id] = _write_pair(paths, chapter.id, joined(list(chapter.slides)))
    if all(s.id in tracks for s in lecture.slides):
        written["lecture"] = _write_pair(paths, "lecture", joined(list(lecture.slides)))
    return written
