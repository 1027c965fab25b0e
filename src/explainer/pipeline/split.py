"""One slide's render split across cores: cut at step boundaries, pieces rendered in parallel, joined by packet copy.

A piece renders steps first..end-1 of the slide: Manim fast-forwards through the animations before
it without drawing them (config.from_animation_number; a skipped play still counts in num_plays,
leaves a None in partial_movie_files and adds its run_time to the clock), and the piece stops
before step `end` (SlideScene's stop_after_step: EndSceneEarlyException, which Manim treats as a
normal end). Every piece starts on an animation's first frame, and Manim starts every animation's
file on a keyframe, so the pieces join by packet copy into the clip a one-piece render makes.

The cut is balanced by the frames each step had in the slide's last render (its sidecar); with no
previous render, or a short one, the slide renders in one piece. A skipped animation runs
dt-updaters once with dt = its run_time, so scenes with updaters are never split (see
`unsplittable`), and a piece that meets an updater while fast-forwarding stops at once
(NotSplittable): the slide is then rendered in one piece. Pieces run through the run's executor:
here a process each, on a cluster a task each (keyed by the frame key and the piece's steps).
This is the client's half; inside a piece's render process, rendering/pieces.py fast-forwards.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

from explainer.job.request import RenderRequest, RenderResult, StepMark
from explainer.pipeline.executor import Executor
from explainer.pipeline.paths import Paths
from explainer.pipeline.plan import SlidePlan
from explainer.pipeline.records import Sidecar
from explainer.script.scan import SceneClass

# A fast-forwarded frame costs this share of a drawn one at high: the scene still builds every
# mobject (text, LaTeX) and runs each animation once at its end. Measured on scaled-dot-product:
# fast-forwarding all of it takes 49 CPU-s whatever the quality, ~8 ms a frame at high against
# ~90 ms drawn; at draft it is 58% of the whole render (49 of 84 CPU-s), so draft rarely pays.
FAST_FORWARD_SHARE = 0.1
# A slide smaller than this (frames x width x height of its last render, in millions) is not worth
# more processes: each piece pays Python's and Manim's start (~3 CPU-s) and the fast-forward through
# the steps before it, which costs most of a draft render (see above). 1000 is ~480 frames (8 s)
# at high, ~1100 at medium, ~2400 at draft (no draft slide of the lecture); the mini fixture's
# slides stay whole. Counted in pixels, not the last render's wall time, which load inflates.
MIN_SPLIT_MEGAPIXELS = float(os.environ.get("EXPLAINER_SPLIT_MIN_MEGAPIXELS", "1000"))

# Calls that give a scene updaters, which a fast-forward would run once instead of frame by frame.
UPDATER_CALLS = re.compile(r"\b(add_updater|always_redraw|always_shift|always_rotate|TracedPath|"
                           r"turn_animation_into_updater|follow)\s*\(")


# -- which scenes may be split (the client decides from source, never importing the scene) --------
def unsplittable(scene: SceneClass) -> str | None:
    """Why `scene` must render in one piece (None: it may be split): it declares
    `splittable = False`, or its module gives mobjects updaters."""
    try:
        source = scene.module.read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, SyntaxError, UnicodeDecodeError) as error:
        return f"its source cannot be read ({error})"
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == scene.name:
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant) \
                        and statement.value.value is False \
                        and any(isinstance(t, ast.Name) and t.id == "splittable" for t in statement.targets):
                    return "it declares splittable = False"
    match = UPDATER_CALLS.search(source)
    if match:
        line = source.count("\n", 0, match.start()) + 1
        return f"it uses updaters ({match.group(1)} at {scene.module.name}:{line})"
    return None


# -- where to cut --------------------------------------------------------------------------
def step_sizes(steps: Sequence[StepMark], frames: int) -> list[int]:
    """Frames of each step (the frames before the first step count with it)."""
    starts = [0] + [s.frame for s in steps[1:]] + [frames]
    return [max(0, end - start) for start, end in pairwise(starts)]


def cut(sizes: Sequence[int], pieces: int, fast_forward: float = FAST_FORWARD_SHARE) -> list[tuple[int, int | None]]:
    """Contiguous step ranges [first, end) for at most `pieces` pieces, minimising the costliest
    piece (its frames, plus `fast_forward` per frame of the steps it skips); the last end is None,
    so steps the scene gained since `sizes` was measured go to the last piece."""
    count = len(sizes)
    pieces = max(1, min(pieces, count))
    if pieces == 1 or sum(sizes) == 0:
        return [(0, None)]
    before = [0]
    for size in sizes:
        before.append(before[-1] + size)

    def cost(first: int, end: int) -> float:
        return before[end] - before[first] + fast_forward * before[first]

    # best[k][j]: the smallest worst piece covering steps 0..j-1 with k pieces; choice: where the last begins
    inf = float("inf")
    best = [[inf] * (count + 1) for _ in range(pieces + 1)]
    choice = [[0] * (count + 1) for _ in range(pieces + 1)]
    best[0][0] = 0.0
    for k in range(1, pieces + 1):
        for end in range(1, count + 1):
            for first in range(k - 1, end):
                value = max(best[k - 1][first], cost(first, end))
                if value < best[k][end]:
                    best[k][end], choice[k][end] = value, first
    k = min(range(1, pieces + 1), key=lambda n: (best[n][count], n))
    bounds, end = [count], count
    while k > 0:
        end = choice[k][end]
        bounds.append(end)
        k -= 1
    bounds.reverse()
    ranges: list[tuple[int, int | None]] = [(a, b) for a, b in pairwise(bounds)]
    ranges[-1] = (ranges[-1][0], None)
    return ranges


def previous_render(paths: Paths, slide_id: str) -> tuple[list[StepMark], int] | None:
    """The steps and frame count of the slide's last published render at this quality."""
    sidecar = Sidecar.read(paths.sidecar(slide_id))
    if sidecar is None or not sidecar.steps or not sidecar.frames:
        return None
    return list(sidecar.steps), sidecar.frames


def plan_pieces(paths: Paths, plan: SlidePlan, pieces: int) -> list[tuple[int, int | None]]:
    """The pieces to render `plan`'s slide in (one when splitting would not pay or is not safe)."""
    if pieces <= 1 or unsplittable(plan.scene):
        return [(0, None)]
    previous = previous_render(paths, plan.slide.id)
    if previous is None:
        return [(0, None)]
    steps, frames = previous
    if frames * plan.preset.width * plan.preset.height < MIN_SPLIT_MEGAPIXELS * 1e6:
        return [(0, None)]
    return cut(step_sizes(steps, frames), pieces)


# -- rendering the pieces -------------------------------------------------------------------
def render(executor: Executor, request: RenderRequest, plan: SlidePlan, paths: Paths, work: Path, cwd: Path,
           pieces: int) -> RenderResult:
    """Render `request` in up to `pieces` pieces in parallel and join them (or in one piece: see
    plan_pieces); the result's movie is a file under `work`."""
    ranges = plan_pieces(paths, plan, pieces)
    if len(ranges) == 1:
        return executor.render(request, plan, work, cwd)
    result = render_pieces(executor, request, plan, work, cwd, ranges)
    if result is None:   # an updater met while fast-forwarding: render it whole
        return executor.render(request, plan, work, cwd)
    return result


def render_pieces(executor: Executor, request: RenderRequest, plan: SlidePlan, work: Path, cwd: Path,
                  ranges: Sequence[tuple[int, int | None]]) -> RenderResult | None:
    """Render each range in its own process and Manim folder (work/pieces/N), then join them.
    None: a piece found the scene cannot be split."""
    jobs = []
    for index, piece in enumerate(ranges):
        folder = work / "pieces" / str(index)
        folder.mkdir(parents=True, exist_ok=True)
        jobs.append((replace(request, manim_dir=folder / "manim", piece=tuple(piece)), folder))
    pool = ThreadPoolExecutor(max_workers=len(jobs))
    try:
        results = list(pool.map(lambda job: executor.render(job[0], plan, job[1], cwd), jobs))
    finally:
        pool.shutdown(wait=True)
    failed = [r for r in results if not r.ok]
    if any(r.unsplittable for r in failed):
        return None
    if failed:
        return RenderResult.failed("\n".join(r.error or "render failed" for r in failed), failed[0].traceback)
    return join(results, request.fps, work / "pieces" / f"{request.slide.id}.mp4")


def join(results: Sequence[RenderResult], fps: int, output: Path) -> RenderResult:
    """The pieces' movies joined by packet copy, with their step marks moved to the joined clip,
    and their webm renditions joined the same way when every piece made one."""
    from explainer.media.container import concat, probe

    kept: list[tuple[RenderResult, int]] = []
    steps: list[StepMark] = []
    offset = 0
    outro = None   # the tail is in the piece that ended the scene (the last one kept)
    for index, result in enumerate(results):
        if index > 0 and not result.steps:
            continue   # its first step never came: the scene has fewer steps than last time
        if result.movie is None:
            return RenderResult.failed(f"piece {index} made no movie")
        steps += [replace(s, frame=s.frame + offset, start=round(s.start + offset / fps, 6)) for s in result.steps]
        outro = None if result.outro is None else result.outro + offset
        frames = probe(result.movie, decode=False).frames
        kept.append((result, frames))
        offset += frames
    concat([result.movie for result, _ in kept if result.movie is not None], output)
    rendition = None
    if all(result.rendition is not None for result, _ in kept):
        from explainer.errors import MediaError
        from explainer.media.webm import join_renditions

        rendition = output.with_suffix(".webm")
        try:
            join_renditions([(result.rendition, frames) for result, frames in kept if result.rendition is not None],
                            rendition, fps)
        except MediaError:
            rendition = None   # the clip is good without it: the export encodes the webm then
    memory = [r.peak_memory_mb for r in results if r.peak_memory_mb is not None]
    return RenderResult(True, tuple(steps), offset / fps, output, peak_memory_mb=max(memory) if memory else None,
                        pieces=len(kept), rendition=rendition, outro=outro)
