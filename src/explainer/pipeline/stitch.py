"""Chapter videos and the whole lecture from current clips (packet copy, markers), and manifest.json."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from explainer.codec import read_record, write_record
from explainer.errors import MediaError
from explainer.hashing import sha256_json
from explainer.media.container import Marker, concat
from explainer.pipeline.paths import Paths
from explainer.pipeline.records import Sidecar
from explainer.script.load import Chapter, Lecture, Slide


@dataclass
class StitchReport:
    """What stitching did: videos written, and why others were not."""

    written: list[str] = field(default_factory=list)
    blocked: dict[str, list[str]] = field(default_factory=dict)   # video → stale slide ids
    errors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StitchState:
    """What a chapter or lecture video was stitched from (its inputs' key), and the file written."""

    inputs: str
    size: int
    mtime_ns: int
    frames: int
    duration: float


def _unchanged(paths: Paths, name: str, video: Path, inputs_key: str) -> bool:
    state = read_record(StitchState, paths.stitch_state(name))
    if state is None or state.inputs != inputs_key or not video.is_file():
        return False
    stat = video.stat()
    return state.size == stat.st_size and state.mtime_ns == stat.st_mtime_ns


def _markers(titles_and_frames: list[tuple[str, int]]) -> list[Marker]:
    markers, start = [], 0
    for title, frames in titles_and_frames:
        markers.append(Marker(title, start, start + frames))
        start += frames
    return markers


def _narration(paths: Paths, slides: list[Slide], current: dict[str, Sidecar]) -> Path | None:
    """The slides' narration tracks end to end, encoded once (cached by their tracks' keys); no
    audio when the slides were rendered silent (voice 'none')."""
    keys = [current[s.id].audio_key for s in slides]
    if not all(keys):
        return None
    from explainer.media.audio import encode_track, encoding_key

    target = paths.encoded_audio(encoding_key(sha256_json(keys)))
    return encode_track([current[s.id].track for s in slides], target)


def _subtitles(paths: Paths, slides: list[Slide], current: dict[str, Sidecar]) -> list[tuple[float, float, str]]:
    """The slides' cues shifted by their exact starts (frame counts), for a soft subtitle track."""
    from explainer.pipeline.subtitles import slide_cues
    from explainer.text.cue_tracks import join_tracks

    fps = paths.preset.fps
    parts, frames = [], 0
    for slide in slides:
        parts.append((frames / fps, slide_cues(paths, slide.id, current[slide.id].segments)))
        frames += current[slide.id].frames
    return [(c.start, c.end, c.text) for c in join_tracks(parts)]


def _stitch_one(paths: Paths, name: str, video: Path, clips: list[Path], markers: list[Marker],
                inputs_key: str, report: StitchReport, slides: list[Slide], current: dict[str, Sidecar]) -> None:
    if _unchanged(paths, name, video, inputs_key):
        return
    try:
        result = concat(clips, video, markers, _narration(paths, slides, current),
                        _subtitles(paths, slides, current))
    except MediaError as error:
        report.errors[name] = str(error)
        return
    stat = video.stat()
    state = StitchState(inputs_key, stat.st_size, stat.st_mtime_ns, result.frames, result.duration)
    write_record(paths.stitch_state(name), state)
    report.written.append(name)


def stitch(lecture: Lecture, paths: Paths, current: dict[str, Sidecar]) -> StitchReport:
    """Stitch each chapter whose clips are all current, then the lecture if every clip is.

    `current` maps slide id → its sidecar for slides whose published clip matches their key.
    A chapter with a stale slide keeps its previous video; the report names the stale slides.
    """
    report = StitchReport()
    for chapter in lecture.chapters:
        stale = [s.id for s in chapter.slides if s.id not in current]
        if stale:
            report.blocked[chapter.id] = stale
            continue
        _stitch_chapter(paths, chapter, current, report)
    stale_all = [s.id for s in lecture.slides if s.id not in current]
    if stale_all:
        report.blocked["lecture"] = stale_all
        return report
    clips = [paths.clip(s.id) for s in lecture.slides]
    markers = _markers([(c.title, sum(current[s.id].frames for s in c.slides)) for c in lecture.chapters])
    inputs_key = sha256_json({"clips": [current[s.id].key for s in lecture.slides],
                              "audio": [current[s.id].publish_key for s in lecture.slides],
                              "markers": [(m.title, m.start_frame) for m in markers]})
    _stitch_one(paths, "lecture", paths.lecture_video, clips, markers, inputs_key, report,
                list(lecture.slides), current)
    return report


def _stitch_chapter(paths: Paths, chapter: Chapter, current: dict[str, Sidecar], report: StitchReport) -> None:
    clips = [paths.clip(s.id) for s in chapter.slides]
    markers = _markers([(s.title, current[s.id].frames) for s in chapter.slides])
    inputs_key = sha256_json({"clips": [current[s.id].key for s in chapter.slides],
                              "audio": [current[s.id].publish_key for s in chapter.slides],
                              "markers": [(m.title, m.start_frame) for m in markers]})
    _stitch_one(paths, f"chapter-{chapter.id}", paths.chapter_video(chapter.id), clips, markers,
                inputs_key, report, list(chapter.slides), current)
