"""The render, status and preview commands: plan, lock, render, stitch, report."""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from explainer.app.deps import missing_dependencies
from explainer.deliver.exports import EarlyExports, export_all, write_subtitles
from explainer.deliver.gallery import write_gallery
from explainer.deliver.manifest import write_manifest
from explainer.errors import EXIT_FAILED, EXIT_INPUT, EXIT_MISSING, EXIT_OK, UsageError
from explainer.files import copy_file
from explainer.job.launch import run_render
from explainer.job.request import RenderRequest
from explainer.job.workfolder import mark_clean, prepare_work_folder
from explainer.pipeline.paths import Paths
from explainer.pipeline.plan import Action, SlidePlan, plan_slide
from explainer.pipeline.records import Sidecar
from explainer.pipeline.render import Outcome, render_all
from explainer.pipeline.stitch import stitch
from explainer.script.load import Lecture
from explainer.script.scan import find_scene_classes
from explainer.voice.slide_voice import SlideVoice


class VoicingFailed(Exception):
    """Narration could not be voiced; carries the exit code (2 bad input, 3 missing program)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def start_voicing(lecture: Lecture, paths: Paths, mode: str, jobs: int, only: set[str] | None = None,
                  locked: bool = False):
    """The lecture's narration voiced where that is quick; neural synthesis left for the render to
    drive slide by slide (voice/slide_voice.py)."""
    from explainer.voice.errors import VoiceError
    from explainer.voice.slide_voice import LectureVoicing

    try:
        return LectureVoicing(lecture, mode, paths.voice_cache, jobs, only, locked)
    except VoiceError as error:
        raise VoicingFailed(str(error), EXIT_MISSING if error.missing_program else EXIT_INPUT) from None


def describe_voices(lecture: Lecture, mode: str, selected: set[str]) -> str:
    """Which voice speaks the selected slides' narration, said on stderr: never a silent switch."""
    from collections import Counter

    from explainer.voice.voices import voice_of

    counts = Counter(voice_of(seg, mode, lecture.voice.default)
                     for slide in lecture.slides if slide.id in selected for seg in slide.narration)
    names = {"neural": f"neural ({lecture.voice.neural.describe()})",
             "draft": "draft (espeak-ng)", "recorded": "recorded takes", "none": "none (silent)"}
    return "narration: " + ", ".join(f"{n} by {names[v]}" for v, n in counts.most_common())


@contextmanager
def media_lock(paths: Paths) -> Iterator[None]:
    """One render at a time per media folder; a second run waits and says so."""
    paths.media.mkdir(parents=True, exist_ok=True)
    with paths.lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another explainer run on {paths.media} to finish…", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def plan_all(lecture: Lecture, paths: Paths, voices: dict[str, SlideVoice],
             force_ids: set[str] = frozenset(), skip: set[str] = frozenset()) -> list[SlidePlan]:
    """Each slide's plan but those in `skip` (still being voiced). A slide without a voice (its
    narration not voiced: not selected, and not in the cache) plans as stale, never as current."""
    scenes = find_scene_classes(lecture.scenes_dir)
    return [plan_slide(lecture, s, paths.preset, paths, force=s.id in force_ids, voice=voices.get(s.id), scenes=scenes,
                       unvoiced=bool(s.narration) and s.id not in voices)
            for s in lecture.slides if s.id not in skip]


def _plans_as_voiced(lecture: Lecture, paths: Paths, voicing, force_ids: set[str]):
    """The plan of each slide as its narration finishes being voiced, or a failed outcome naming
    the segment that could not be."""
    from explainer.voice.errors import VoiceError

    scenes = find_scene_classes(lecture.scenes_dir)
    for slide_id, result in voicing.as_completed():
        if isinstance(result, VoiceError):
            yield Outcome(slide_id, False, False, error=f"narration: {result}")
            continue
        yield plan_slide(lecture, lecture.slide(slide_id), paths.preset, paths, force=slide_id in force_ids,
                         voice=result, scenes=scenes)


def current_sidecars(plans: list[SlidePlan], paths: Paths) -> dict[str, Sidecar]:
    """Sidecars of the slides whose published clip is the one their key asks for."""
    current = {}
    for plan in plans:
        if plan.action is Action.CURRENT:
            sidecar = Sidecar.read(paths.sidecar(plan.slide.id))
            if sidecar is not None:
                current[plan.slide.id] = sidecar
    return current


def render(lecture: Lecture, paths: Paths, targets: list[str], jobs: int, force: bool,
           voice: str | None = None, scheduler: str | None = None) -> int:
    from rich.console import Console
    from rich.text import Text

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    started = time.monotonic()
    selected = {s.id for s in lecture.select(targets)}
    mode = voice or lecture.voice.default
    with media_lock(paths):
        try:
            voicing = start_voicing(lecture, paths, mode, jobs, only=selected, locked=True)
        except VoicingFailed as failed:
            if failed.code == EXIT_MISSING:   # what the voice lacks, and whatever else a render would
                draft = mode == "draft"
                items = [str(m) for m in missing_dependencies(lecture.theme.font, voice=draft)]
                if not (draft and shutil.which("espeak-ng") is None):   # else listed above already
                    items.insert(0, str(failed))
                for item in items:
                    console.print(Text.assemble(("missing:", "red"), f" {item}"))
            else:
                console.print(Text.assemble(("✗ narration", "red"), f": {failed}"))
            return failed.code
        console.print(describe_voices(lecture, mode, selected))
        try:
            plans = plan_all(lecture, paths, voicing.ready, selected if force else set(), skip=set(voicing.pending))
            todo = [p for p in plans if p.action is not Action.CURRENT and p.slide.id in selected]
            may_render = any(p.action is Action.RENDER for p in todo) or bool(voicing.pending)
            outcomes: list[Outcome] = []
            cluster = None
            if may_render and scheduler:
                cluster = _connect_cluster(console, scheduler, lecture, [p for p in todo if p.action is Action.RENDER])
                if cluster is None:
                    return EXIT_MISSING
            elif may_render:
                missing = missing_dependencies(lecture.theme.font)
                if missing:
                    for item in missing:
                        console.print(f"[red]missing:[/red] {item}")
                    return EXIT_MISSING
            if voicing.pending:
                console.print(f"voicing {voicing.segments_to_synthesize()} segment(s) of {len(voicing.pending)} slide(s) "
                              f"with the neural voice in {min(jobs, voicing.segments_to_synthesize())} process(es); "
                              "each slide renders once its own words are voiced")
            later = _plans_as_voiced(lecture, paths, voicing, selected if force else set())
            try:
                if todo or voicing.pending:
                    outcomes = _render_with_progress(console, lecture, todo, paths, jobs, cluster,
                                                     later, len(voicing.pending))
            finally:
                if cluster is not None:
                    cluster.close()
        finally:
            voicing.close()
        if todo or voicing.pending:   # re-plan: what is current now decides what can be stitched
            plans = plan_all(lecture, paths, voicing.ready)
        current = current_sidecars(plans, paths)
        exports, export_errors = export_all(lecture, paths, current, jobs)
        subtitles = write_subtitles(lecture, paths, current)
        report = stitch(lecture, paths, current)
        rendered = {o.slide_id for o in outcomes if o.ok and o.rendered}
        manifest = write_manifest(lecture, paths, current, {p.slide.id: p.key for p in plans}, rendered,
                                  exports, subtitles)
        write_gallery(manifest, paths.out)
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed:
        console.print(f"[red]✗ {outcome.slide_id}[/red]: {outcome.error}")
        if outcome.detail:
            console.print(_error_excerpt(outcome.detail), markup=False)
    for name, error in report.errors.items():
        console.print(f"[red]✗ stitching {name}[/red]: {error}")
    for slide_id, error in export_errors.items():
        console.print(f"[red]✗ exporting {slide_id}[/red] (webm, poster, steps): {error}")
    for name, stale in report.blocked.items():
        shown = ", ".join(stale[:4]) + (f" and {len(stale) - 4} more" if len(stale) > 4 else "")
        console.print(f"[yellow]•[/yellow] {name} not stitched (kept as it was): stale {shown}")
    attempted = {o.slide_id for o in outcomes}   # what was stale, and what waited for its voice
    summary = (f"{len(rendered)} rendered, {len(attempted) - len(failed) - len(rendered)} restored, "
               f"{len(selected) - len(attempted)} current, {len(failed)} failed; "
               f"stitched {', '.join(report.written) or 'nothing'} in {time.monotonic() - started:.1f}s")
    console.print(summary)
    console.print(f"outputs: {paths.out}/ (index.html, manifest.json, clips/, steps/, subtitles/, chapters/, lecture.mp4)")
    return EXIT_FAILED if failed or report.errors or export_errors else EXIT_OK


def _connect_cluster(console, scheduler: str, lecture: Lecture, todo: list[SlidePlan]):
    """The cluster executor for `scheduler`, or None (after saying why) when it must not be used."""
    from explainer.pipeline.cluster import ClusterRefused, connect

    try:
        return connect(scheduler, lecture.theme.font, [p.inputs["code"] for p in todo if p.action is Action.RENDER])
    except ClusterRefused as refused:
        from rich.text import Text

        console.print(Text.assemble(("✗ cluster", "red"), f": {refused}"))
        return None


def _render_with_progress(console, lecture: Lecture, todo: list[SlidePlan], paths: Paths,
                          jobs: int, cluster=None, later=(), later_count: int = 0) -> list[Outcome]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    renders = sum(1 for p in todo if p.action is Action.RENDER)
    if cluster is not None:
        # One task per worker thread, the next (longest first) as one ends, as a local pool does:
        # submitted all at once, Dask handed each worker its share on arrival, and the longest
        # slide could wait behind short ones on a busy worker while another went idle.
        where, jobs = f"on {cluster.address} ({cluster.workers} workers, {cluster.threads} threads)", cluster.threads
    else:
        where = f"with {min(jobs, max(renders + later_count, 1))} job(s)"
    voicing = f", and up to {later_count} more as their narration is voiced," if later_count else ""
    console.print(f"rendering {renders} slide(s){voicing} at {paths.quality} {where}; "
                  f"restoring {len(todo) - renders} from the cache")
    for plan in todo:
        console.print(f"  {plan.slide.id}: {'; '.join(plan.reasons)}", style="dim")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("rendering", total=len(todo) + later_count)

        # Here one export at a time beside the renders (VP9 uses every core); a cluster's client
        # has its cores free for them.
        export = EarlyExports(lecture, paths, (os.cpu_count() or 1) if cluster is not None else 1)

        def done(outcome: Outcome) -> None:
            mark = "[green]✓[/green]" if outcome.ok else "[red]✗[/red]"
            verb = "rendered" if outcome.rendered else "restored"
            if outcome.ok and outcome.pieces > 1:
                verb += f" in {outcome.pieces} pieces"
            progress.console.print(f"{mark} {outcome.slide_id} {verb if outcome.ok else 'failed'} "
                                   f"({outcome.seconds:.1f}s)")
            if outcome.ok:
                export(outcome.slide_id)
            progress.advance(task)

        try:
            if cluster is not None:
                return render_all(lecture, todo, paths, jobs, done, cluster, later, later_count)
            return render_all(lecture, todo, paths, jobs, done, later=later, later_count=later_count)
        except BaseException:
            export.finish(cancel=True)
            raise
        finally:
            export.finish()


def _error_excerpt(detail: str, lines: int = 12) -> str:
    """The useful end of a scene's traceback (for LaTeX errors, the LaTeX message is there)."""
    text = detail.strip().splitlines()
    return "\n".join("    " + line for line in text[-lines:])


def status(lecture: Lecture, paths: Paths, voice: str | None = None) -> int:
    """What a render would do and why; it voices only what is quick (cached, draft, takes) and
    synthesizes nothing with the neural voice: a slide whose new words are not voiced yet is
    reported as changing, since its new length cannot be known before."""
    from explainer.script.model import Segment
    from explainer.voice.slide_voice import takes_missing
    from explainer.voice.voices import voice_of

    mode = voice or lecture.voice.default
    try:
        voicing = start_voicing(lecture, paths, mode, os.cpu_count() or 1)
    except VoicingFailed as failed:
        print(f"narration: {failed}", file=sys.stderr)
        return failed.code
    plans = plan_all(lecture, paths, voicing.ready, skip=set(voicing.pending))
    stale = 0
    for slide in lecture.slides:
        plan = next((p for p in plans if p.slide.id == slide.id), None)
        if plan is None:
            stale += 1
            print(f"  render?  {slide.id}: narration not voiced yet; it re-renders if a step's length changes "
                  "(known once render voices it)")
        elif plan.action is Action.CURRENT:
            print(f"  current  {plan.slide.id}")
        else:
            stale += 1
            verb = "render " if plan.action is Action.RENDER else "restore"
            print(f"  {verb}  {plan.slide.id}: {'; '.join(plan.reasons)}")
    print(f"{stale} of {len(lecture.slides)} slides would change at {paths.quality}")
    if mode == "recorded":
        waiting = takes_missing(lecture)
        stand_in = voice_of(Segment("", "", None, 0, 0), "recorded", lecture.voice.default)
        print(f"{len(waiting)} narration segment(s) have no recorded take yet (the {stand_in} voice speaks them):")
        for slide_id, step in waiting:
            print(f"  {slide_id}: step '{step}'")
    return EXIT_OK


def preview(lecture: Lecture, paths: Paths, slide_id: str, step: int | None) -> int:
    """Write a still of the slide: from its published clip when its inputs are unchanged (no Manim,
    well under a second), else rendered by Manim."""
    from explainer.pipeline.stills import preview_from_clip

    try:
        slide = lecture.slide(slide_id)
    except KeyError:
        raise UsageError(f"unknown slide '{slide_id}' (`explainer list` shows them)") from None
    if step is not None and step < 1:
        raise UsageError(f"--step counts from 1 (the slide's first step), not {step}")
    target = paths.preview(slide.id)
    done, how = preview_from_clip(lecture, slide, paths.preset, paths, step, target)
    if done:
        print(f"{slide.id}: still taken from the published clip, {how}", file=sys.stderr)
        print(target)
        return EXIT_OK
    print(f"{slide.id}: rendering a still with Manim ({how})", file=sys.stderr)
    missing = missing_dependencies(lecture.theme.font)
    if missing:
        for item in missing:
            print(f"missing: {item}", file=sys.stderr)
        return EXIT_MISSING
    work = paths.cache / "preview" / paths.quality / slide.id
    with media_lock(paths):
        prepare_work_folder(work, wipe=False)
        scene = find_scene_classes(lecture.scenes_dir)[slide.scene]
        request = RenderRequest.for_slide(lecture.path.resolve(), slide, lecture.theme, scene.module,
                                          paths.preset, work / "manim", still=True, stop_after_step=step)
        result = run_render(request, work, lecture.root)
        if not result.ok or result.image is None:
            print(f"✗ {slide.id}: {result.error}", file=sys.stderr)
            print(_error_excerpt(result.traceback or ""), file=sys.stderr)
            return EXIT_FAILED
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_file(result.image, target)
        mark_clean(work)
    print(target)
    return EXIT_OK


def deck(lecture: Lecture, paths: Paths, targets: list[str], jobs: int, force: bool,
         voice: str | None = None, title: str | None = None) -> int:
    """Render what is stale (as `render` does), then write each target's decks from manifest.json."""
    from explainer.deliver.decks.build import build_deck

    names = list(dict.fromkeys(targets or ["lecture"]))
    chapters = {c.id for c in lecture.chapters}
    unknown = [name for name in names if name != "lecture" and name not in chapters]
    if unknown:
        raise UsageError(f"a deck is of 'lecture' or a chapter ({', '.join(sorted(chapters))}), "
                         f"not {', '.join(repr(n) for n in unknown)}")
    code = render(lecture, paths, names, jobs, force, voice)
    if code != EXIT_OK:
        print("explainer: no deck written: the render above did not finish cleanly", file=sys.stderr)
        return code
    missing_reveal = False
    with media_lock(paths):
        for name in names:
            built = build_deck(paths.out, name, title if name == "lecture" else None)
            print(f"deck {name}: {built.steps} steps → {paths.relative(built.pptx)}, "
                  f"{paths.relative(built.manim_slides)}"
                  + (f", {paths.relative(built.html)}" if built.html else ""), file=sys.stderr)
            if built.html_error:
                print(f"missing: {built.html_error}", file=sys.stderr)
                missing_reveal = True
    return EXIT_MISSING if missing_reveal else EXIT_OK
