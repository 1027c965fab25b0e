"""The render process: renders one slide's scene with Manim into its own folder and reports back.

Started by job/launch.py as `python -m explainer.rendering.worker REQUEST.json RESULT.json`: reads a
RenderRequest, writes a RenderResult. Only this process imports Manim and the scene module.
"""

from __future__ import annotations

import importlib.util
import os
import re
import resource
import sys
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path

from explainer.codec import write_record
from explainer.job.request import RenderRequest, RenderResult, StepMark


def _load_scene_class(module_path: Path, class_name: str) -> type:
    # The scene's folder first on the path, as Manim's own CLI puts it: a scene imports its siblings
    # and its spec module (`from specs.<name> import …`) from there, whatever the working folder.
    folder = str(module_path.resolve().parent)
    if sys.path[:1] != [folder]:
        sys.path.insert(0, folder)
    name = f"explainer_scene_{module_path.stem}"
    spec = importlib.util.spec_from_file_location(name, module_path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {module_path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return getattr(module, class_name)


def _exit_with_parent() -> None:
    """Stop rendering when the process that started this one dies (SIGKILL gives it no chance to stop us)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(0.5)

    threading.Thread(target=watch, daemon=True).start()


def latex_messages(error_text: str) -> list[str]:
    """The '! ...' error lines (with the offending input line) of the LaTeX log Manim names."""
    match = re.search(r"the log file: (\S+\.log)", error_text)
    if not match or not Path(match.group(1)).is_file():
        return []
    lines = Path(match.group(1)).read_text(encoding="utf-8", errors="replace").splitlines()
    found: list[str] = []
    for index, line in enumerate(lines):
        if line.startswith("!"):
            found.append(line)
            found.extend(after for after in lines[index + 1 : index + 3] if re.match(r"l\.\d+", after))
    return found


def _frames_before(partial_files: list[str | None]) -> list[int]:
    """How many frames precede each animation's file (and, last, the total): a skipped animation
    (a piece's fast-forward) has no file and draws none."""
    import av

    frames_before = [0]
    for path in partial_files:
        count = 0
        if path:
            with av.open(path) as container:
                count = sum(1 for packet in container.demux(video=0) if packet.size)
        frames_before.append(frames_before[-1] + count)
    return frames_before


def _steps_with_frames(marks: list[tuple[str, float, int]], frames_before: list[int]) -> tuple[StepMark, ...]:
    """Each step's exact first frame: the frames of the animation files before it (cached or not)."""
    last = len(frames_before) - 1
    return tuple(StepMark(name, start, frames_before[min(index, last)], index) for name, start, index in marks)


MAX_FINDINGS_SHOWN = 8


def layout_failure(slide_id: str, findings: list[str]) -> str:
    """The message of a render the layout check failed: the slide, then each distinct finding with
    its step and text (a defect that stays on screen is said once, where it first appears)."""
    distinct: dict[str, str] = {}
    for finding in findings:
        what = finding.partition(": ")[2]
        distinct.setdefault(what, finding)
    shown = list(distinct.values())
    lines = [f"layout check failed on slide '{slide_id}' ({len(shown)} problem(s); the previous clip is kept):"]
    lines += [f"  {line}" for line in shown[:MAX_FINDINGS_SHOWN]]
    if len(shown) > MAX_FINDINGS_SHOWN:
        lines.append(f"  ... and {len(shown) - MAX_FINDINGS_SHOWN} more")
    return "\n".join(lines)


def render(request: RenderRequest) -> RenderResult:
    """Render the requested slide; return where the movie (or still) is and the step times."""
    from manim import config

    from explainer.scenekit.inputs import SceneInputs, provide

    config.media_dir = str(request.manim_dir)
    config.pixel_width = request.width
    config.pixel_height = request.height
    config.frame_rate = request.fps
    config.format = "png" if request.still else "mp4"
    config.output_file = request.slide.id
    config.progress_bar = "none"
    config.verbosity = "WARNING"
    config.disable_caching = request.no_cache
    # The preset's x264 options (they are in its frame key; Manim's cache hashes them too).
    config.video_encoder_options = request.encoder_options
    stop_after_step = request.stop_after_step
    if request.piece is not None and request.piece[1] is not None:
        stop_after_step = min(stop_after_step or request.piece[1], request.piece[1])
    provide(SceneInputs(request.slide, request.theme, dict(request.step_seconds), stop_after_step,
                        request.check_layout))
    scene_class = _load_scene_class(request.scene_file, request.scene_class)
    if request.piece is not None:
        from explainer.rendering.pieces import piece_scene

        scene_class = piece_scene(scene_class, request.piece[0])
    from manim.renderer.cairo_renderer import CairoRenderer

    from explainer.rendering.holds import HoldFileWriter

    # Manim's renderer, but held frames are converted for the encoder once (same bytes, less CPU).
    scene = scene_class(renderer=CairoRenderer(file_writer_class=HoldFileWriter))
    scene.render()
    if request.check_layout and scene.layout_findings:
        return RenderResult.failed(layout_failure(request.slide.id, scene.layout_findings))
    writer = scene.renderer.file_writer
    frames_before = _frames_before(writer.partial_movie_files)
    steps = _steps_with_frames(scene.step_marks, frames_before)
    # Where the clip's tail (after its last step, in no step) begins: its first frame.
    outro = None if scene.outro_mark is None else frames_before[min(scene.outro_mark[1], len(frames_before) - 1)]
    duration = float(scene.renderer.time)
    if request.piece is not None:
        from explainer.rendering.pieces import piece_marks

        steps, duration = piece_marks(steps, request.piece[0], duration)
    else:
        # Whole microseconds, as pipeline/split.join rounds a piece's times once offset: a split render's
        # marks then equal a whole render's to the bit. Frames, not these times, place every cut.
        steps = tuple(replace(s, start=round(s.start, 6)) for s in steps)
    movie = None if request.still else Path(writer.movie_file_path)
    rendition = None
    if movie is not None and request.rendition:
        from explainer.media.webm import encode_rendition

        rendition = movie.with_suffix(".webm")
        try:
            encode_rendition(movie, rendition, request.fps)
        except Exception as error:   # the clip is good without it: the export encodes it then
            print(f"explainer: the webm video was not made here ({type(error).__name__}: {error})", file=sys.stderr)
            rendition = None
    return RenderResult(
        ok=True,
        steps=steps,
        duration=duration,
        movie=movie,
        image=Path(writer.image_file_path) if request.still else None,
        peak_memory_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        rendition=rendition,
        outro=outro,
    )


def main() -> int:
    request_path, result_path = Path(sys.argv[1]), Path(sys.argv[2])
    _exit_with_parent()
    try:
        result = render(RenderRequest.read(request_path))
        code = 0
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        message = f"{type(error).__name__}: {error}".strip()
        latex = latex_messages(str(error))
        if latex:
            message = "LaTeX error in a formula: " + " ".join(latex)
        result = RenderResult.failed(message, traceback.format_exc())
        code = 1
    write_record(result_path, result)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
