"""Renders stale slides, each in its own process and Manim folder (through an executor); probes,
stores and publishes clips."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from explainer.codec import read_record, write_record
from explainer.errors import MediaError
from explainer.files import copy_file
from explainer.job.request import RenderRequest, StepMark
from explainer.job.workfolder import mark_clean, prepare_work_folder
from explainer.media.container import Probe, concat, probe
from explainer.media.presets import Preset
from explainer.pipeline import split
from explainer.pipeline.executor import LOCAL, Executor
from explainer.pipeline.keys import frame_key, key_inputs, publish_key, rendition_key
from explainer.pipeline.paths import Paths
from explainer.pipeline.plan import Action, SlidePlan, segment_records
from explainer.pipeline.records import Sidecar, StoredClip, step_starts
from explainer.pipeline.subtitles import slide_cues
from explainer.script.load import Lecture, ScriptInvalid, load_lecture


@dataclass
class Outcome:
    """What happened to one slide in this run."""

    slide_id: str
    ok: bool
    rendered: bool
    seconds: float = 0.0
    error: str | None = None
    detail: str | None = None
    probe: Probe | None = None
    steps: list[StepMark] = field(default_factory=list)
    pieces: int = 1


def render_request(lecture: Lecture, plan: SlidePlan, work: Path, **options: object) -> RenderRequest:
    """The request that renders `plan`'s slide into the slide's Manim folder under `work`."""
    step_seconds = plan.voice.step_seconds(plan.preset.fps) if plan.voice else {}
    return RenderRequest.for_slide(lecture.path.resolve(), plan.slide, lecture.theme, plan.scene.module,
                                   plan.preset, work / "manim", step_seconds=step_seconds,
                                   **{"check_layout": True, "rendition": True, **options})


def check_spec(info: Probe, preset: Preset) -> None:
    spec = info.spec
    if (spec.width, spec.height) != (preset.width, preset.height) or spec.pix_fmt != preset.pix_fmt \
            or spec.codec != "h264" or spec.fps != str(preset.fps):
        raise MediaError(f"clip is {spec.describe()}, expected h264 {preset.width}x{preset.height} "
                         f"{preset.pix_fmt} @ {preset.fps} fps")


def _inputs_unchanged(lecture: Lecture, plan: SlidePlan) -> bool:
    try:
        fresh = load_lecture(lecture.path, lecture.shown_as)
        return frame_key(key_inputs(fresh, fresh.slide(plan.slide.id), plan.preset, plan.voice)) == plan.key
    except (ScriptInvalid, KeyError):
        return False


def render_slide(lecture: Lecture, plan: SlidePlan, paths: Paths, executor: Executor = LOCAL,
                 pieces: int = 1) -> Outcome:
    """Render one slide (or restore it from the clip store) and publish its clip atomically; with
    `pieces` > 1, split across that many processes where it pays (pipeline/split.py)."""
    slide = plan.slide
    started = time.monotonic()
    rendered_in = 1
    if plan.action is Action.RENDER:
        work = paths.work(slide.id)
        prepare_work_folder(work, wipe=plan.force)
        request = render_request(lecture, plan, work)
        if pieces > 1:
            result = split.render(executor, request, plan, paths, work, lecture.root, pieces)
        else:
            result = executor.render(request, plan, work, lecture.root)
        if not _inputs_unchanged(lecture, plan):
            # The script, a scene or a component was saved while Manim ran: the frames may mix
            # both versions, so they are stored under neither key.
            return Outcome(slide.id, False, True, time.monotonic() - started,
                           error="its script entry or code changed while it rendered; run render again")
        if not result.ok or result.movie is None:
            return Outcome(slide.id, False, True, time.monotonic() - started,
                           error=result.error or "render failed", detail=result.traceback)
        try:
            # Packets counted, not decoded: the render process closed the file it wrote, a torn
            # file fails to open or to demux, and decoding 1080p again cost ~4 ms a frame here, on
            # one core after a split's pieces; the exports decode every frame anyway.
            info = probe(result.movie, decode=False)
            check_spec(info, plan.preset)
            # Re-muxed (packet copy, faststart) into the store under its key: a killed run
            # leaves only a temporary file behind, never a half-written stored clip.
            concat([result.movie], paths.store_clip(plan.key))
        except MediaError as error:
            return Outcome(slide.id, False, True, time.monotonic() - started, error=str(error))
        if result.rendition is not None:
            store_rendition(result.rendition, info, paths, plan)
        stored = StoredClip(slide.id, info, result.steps, paths.store_clip(plan.key).stat().st_size,
                            time.monotonic() - started, result.peak_memory_mb, result.outro)
        write_record(paths.store_meta(plan.key), stored)
        mark_clean(work)
        rendered_in = result.pieces
    else:
        stored = read_record(StoredClip, paths.store_meta(plan.key))
        if stored is None:   # removed or damaged since it was planned
            return Outcome(slide.id, False, False, time.monotonic() - started,
                           error=f"{paths.store_meta(plan.key)} is gone or unreadable; run render again")
    publish(paths, plan, stored)
    return Outcome(slide.id, True, plan.action is Action.RENDER, time.monotonic() - started,
                   probe=stored.probe, steps=list(stored.steps), pieces=rendered_in)


def store_rendition(rendition: Path, info: Probe, paths: Paths, plan: SlidePlan) -> None:
    """Keep the clip's webm rendition for its exports if it shows every frame of the stored clip;
    one that does not is left out (the export then encodes the clip itself)."""
    from explainer.media.webm import check_webm

    try:
        check_webm(rendition, info.frames, plan.preset.fps)
    except MediaError:
        return
    target = paths.store_rendition(rendition_key(plan.key))
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_file(rendition, target)


def publish(paths: Paths, plan: SlidePlan, stored: StoredClip) -> None:
    """Publish the stored (silent) clip as clips/<slide>.mp4 atomically, with its narration track
    muxed in by packet copy, and record what was published."""
    slide_id, fps = plan.slide.id, plan.preset.fps
    clip = paths.clip(slide_id)
    clip.parent.mkdir(parents=True, exist_ok=True)
    starts = step_starts(stored.steps)
    track, audio_key, segments = None, None, []
    if plan.voice is not None:
        segments = segment_records(plan.voice, stored.steps, fps)
        track = plan.voice.track(starts, stored.frames, fps, paths.tracks)
        audio_key = plan.voice.track_key(starts, stored.frames, fps)
    audio = None
    if track is not None and audio_key is not None:
        from explainer.media.audio import encode_track, encoding_key

        audio = encode_track([track], paths.encoded_audio(encoding_key(audio_key)))
    cues = [(c.start, c.end, c.text) for c in slide_cues(paths, slide_id, segments)]
    if audio is not None or cues:
        concat([paths.store_clip(plan.key)], clip, audio=audio, subtitles=cues)
    else:
        copy_file(paths.store_clip(plan.key), clip)
    stat = clip.stat()
    sidecar = Sidecar(plan.key, plan.inputs, stat.st_size, stat.st_mtime_ns, stored.frames, stored.duration,
                      stored.steps, audio_key, publish_key(audio_key, segments), track, tuple(segments),
                      stored.outro)
    write_record(paths.sidecar(slide_id), sidecar)


def render_all(lecture: Lecture, plans: list[SlidePlan], paths: Paths, jobs: int,
               on_done: Callable[[Outcome], None], executor: Executor = LOCAL,
               later: Iterable[SlidePlan | Outcome] = (), later_count: int = 0) -> list[Outcome]:
    """Run every non-current plan, `jobs` at a time, longest slides first; then each plan `later`
    yields as it becomes ready (a slide whose narration was still being voiced), or the outcome
    of one that could not be planned. `later_count` is how many it may yield."""
    todo = sorted((p for p in plans if p.action is not Action.CURRENT), key=lambda p: -p.estimate)
    outcomes: list[Outcome] = []
    # Cores (or a cluster's worker threads) no slide needs render pieces of one: a single-slide
    # edit uses them all.
    renders = sum(1 for p in todo if p.action is Action.RENDER) + later_count
    pieces = max(1, jobs // max(1, renders))

    def one(plan: SlidePlan) -> Outcome:
        try:
            outcome = render_slide(lecture, plan, paths, executor, pieces)
        except KeyboardInterrupt:
            raise
        except Exception as error:
            outcome = Outcome(plan.slide.id, False, plan.action is Action.RENDER,
                              error=f"{type(error).__name__}: {error}")
        on_done(outcome)
        return outcome

    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = [pool.submit(one, plan) for plan in todo]
        for item in later:
            if isinstance(item, Outcome):
                on_done(item)
                outcomes.append(item)
            elif item.action is not Action.CURRENT:
                futures.append(pool.submit(one, item))
        for future in futures:
            outcomes.append(future.result())
    except KeyboardInterrupt:
        executor.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return outcomes
