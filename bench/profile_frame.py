"""Profile one slide at a quality: where a frame's CPU time goes (Manim Python, Cairo, encoding, our pipeline).

Usage: .venv/bin/python bench/profile_frame.py [SLIDE] [--quality high] [--steps N] [--cprofile 25]
                                               [--variant NAME ...] [--encode-presets medium,faster,veryfast]

Each variant renders the slide in its own process through the worker's own `render()` (as
`explainer render` does, layout check on, Manim's cache off), with CPU counters around Manim's
entry points:
  (a) Manim Python: everything else on the main thread (construct, interpolate, updaters)
  (b) Cairo drawing: Camera.capture_mobjects / reset / set_frame_to_background, frame copies
  (c) encoding: every thread but the main one (Manim's encoder jobs and x264's own threads),
      plus the main thread's time handing frames over (SceneFileWriter.write_frame)
  (d) our pipeline: the layout check in the worker; then, timed after the render in the same
      process, what the parent does with the clip (probe, store copy, exports: webm, steps)
CPU time (not wall time) is counted, so other processes on the machine inflate it less.
Variants ("before": Manim's x264 defaults, its own segment encoder, the webm checked by decoding;
"holds converted once"; "after": the code as it is) are measured in one run: compare their
ratios, not absolute times across runs. --encode-clip compares x264 settings on a clip's frames.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

# A variant is a set of encoder options and whether holds reuse one converted frame; "before"
# reproduces the settings this project had before bench/RESULTS.md's "Frame cost" section.
VARIANTS: dict[str, dict[str, Any]] = {
    "before": {"x264": {"crf": "23"}, "hold_encoder": False, "webm_decode_check": True},
    "holds converted once": {"x264": {"crf": "23"}, "hold_encoder": True, "webm_decode_check": True},
    "after": {},   # the code as it is: the preset's x264 options, held frames converted once
}


def cpu() -> float:
    """This process's CPU seconds, every thread."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Counter:
    """Main-thread CPU seconds spent inside wrapped functions (outermost call only, so nesting
    within one category is not counted twice)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.depth = 0
        self.calls = 0

    def wrap(self, owner: type, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)
        counter = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is not threading.main_thread() or counter.depth:
                return original(*args, **kwargs)
            counter.depth += 1
            counter.calls += 1
            started = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                counter.seconds += time.thread_time() - started
                counter.depth -= 1

        setattr(owner, name, timed)


def child(request_path: Path, variant: str, out: Path, cprofile_top: int) -> None:
    """Render in this process with counters; write them as JSON to `out`."""
    from manim.camera.camera import Camera
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.scene_file_writer import SceneFileWriter

    from explainer.codec import encode
    from explainer.job.request import RenderRequest
    from explainer.rendering import worker
    from explainer.scenekit.slide_scene import SlideScene

    apply_variant(VARIANTS[variant])
    cairo, handover, layout = Counter(), Counter(), Counter()
    for name in ("capture_mobjects", "reset", "set_frame_to_background"):
        cairo.wrap(Camera, name)
    cairo.wrap(CairoRenderer, "get_frame")
    handover.wrap(SceneFileWriter, "write_frame")
    layout.wrap(SlideScene, "_check_layout_now")
    request = RenderRequest.read(request_path)
    profiler = cProfile.Profile(time.thread_time) if cprofile_top else None
    cpu_before, main_before, wall_before = cpu(), time.thread_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    result = worker.render(request)
    if profiler:
        profiler.disable()
    total, main = cpu() - cpu_before, time.thread_time() - main_before
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocesses = usage.ru_utime + usage.ru_stime
    wall = time.perf_counter() - wall_before
    if not result.ok or result.movie is None:
        raise SystemExit(f"render failed: {result.error}")
    top = ""
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(cprofile_top)
        top = text.getvalue()
    out.write_text(json.dumps({
        "total": total, "main": main, "subprocesses": subprocesses, "wall": wall, "cairo": cairo.seconds,
        "handover": handover.seconds, "layout": layout.seconds, "layout_calls": layout.calls, "movie": str(result.movie),
        "steps": encode(result.steps), "cprofile": top,
    }), encoding="utf-8")


def apply_variant(knobs: dict[str, Any]) -> None:
    """Patch this render process back to Manim's own segment encoder if the variant says so."""
    if knobs.get("hold_encoder", True):
        return
    from manim.scene.scene_file_writer import SceneFileWriter

    from explainer.rendering.holds import HoldFileWriter

    HoldFileWriter._create_segment_encoder = SceneFileWriter._create_segment_encoder  # type: ignore[method-assign]


def pipeline_costs(movie: Path, steps: list[dict[str, Any]], fps: int, work: Path,
                   webm_decode_check: bool) -> dict[str, float]:
    """CPU seconds of what the parent process does with a finished clip, step by step."""
    from explainer.media.container import concat, probe
    from explainer.media.cut import build_exports

    costs: dict[str, float] = {}
    started = cpu()
    probe(movie)
    costs["probe (decode every frame)"] = cpu() - started
    started = cpu()
    concat([movie], work / "stored.mp4")
    costs["store copy"] = cpu() - started
    started = cpu()
    build_exports(work / "stored.mp4", [(s["name"], s["frame"]) for s in steps], fps, None, work / "exports")
    costs["exports (webm, steps, stills)"] = cpu() - started
    # Not part of the total: what checking the webm costs by decoding it again, and by counting packets.
    webm = next((work / "exports").glob("*.webm"))
    started = cpu()
    decoded = probe(webm).frames
    costs["info: webm probe, decoding"] = cpu() - started
    started = cpu()
    counted = probe(webm, decode=False).frames
    costs["info: webm probe, counting packets"] = cpu() - started
    if decoded != counted:
        raise SystemExit(f"webm: {decoded} frames decoded but {counted} packets")
    if webm_decode_check:   # exports used to check the webm by decoding it, not by counting packets
        extra = costs["info: webm probe, decoding"] - costs["info: webm probe, counting packets"]
        costs["exports (webm, steps, stills)"] += extra
    return costs


def encode_presets(movie: Path, presets: list[str], first: int, frames: int, rounds: int = 2) -> list[dict[str, Any]]:
    """Encode frames first..first+frames-1 of the clip (decoded once, kept as YUV, so only x264
    is timed) with libx264 crf 23 at each x264 preset, `rounds` times interleaved (the least CPU
    counts: the machine is shared); CPU, bytes and luma PSNR against the frames given."""
    import av
    import numpy as np

    sources: list[Any] = []
    with av.open(str(movie)) as source:
        stream = source.streams.video[0]
        width, height, rate = stream.codec_context.width, stream.codec_context.height, stream.average_rate
        for index, frame in enumerate(source.decode(stream)):
            if index >= first:
                sources.append(frame)
            if len(sources) >= frames:
                break
    best: dict[str, dict[str, Any]] = {}
    for _ in range(rounds):
        for preset in presets:
            target = movie.parent / f"preset-{preset}.mp4"
            started = cpu()
            with av.open(str(target), "w") as out:
                name, _, crf = preset.partition(":")   # "veryfast:21": another crf than 23
                out_stream = out.add_stream("libx264", rate=rate, options={"crf": crf or "23", "preset": name})
                out_stream.width, out_stream.height, out_stream.pix_fmt = width, height, "yuv420p"
                for index, frame in enumerate(sources):
                    frame.pts, frame.time_base = index, Fraction(1, int(rate))
                    for packet in out_stream.encode(frame):
                        out.mux(packet)
                for packet in out_stream.encode():
                    out.mux(packet)
            seconds = cpu() - started
            if preset not in best or seconds < best[preset]["cpu"]:
                best[preset] = {"preset": preset, "cpu": seconds, "bytes": target.stat().st_size, "frames": len(sources)}
    for preset, row in best.items():
        errors = []
        with av.open(str(movie.parent / f"preset-{preset}.mp4")) as encoded:
            for original, frame in zip(sources, encoded.decode(video=0)):
                a = original.to_ndarray(format="gray").astype(np.float64)
                b = frame.to_ndarray(format="gray").astype(np.float64)
                errors.append(np.mean((a - b) ** 2))
        mse = float(np.mean(errors))
        row["psnr"] = 99.0 if mse == 0 else 10 * np.log10(255 ** 2 / mse)
    return [best[p] for p in presets]


def print_presets(rows: list[dict[str, Any]], first: int) -> None:
    print(f"frames {first}..{first + rows[0]['frames'] - 1}:")
    print("| x264 preset[:crf] (crf 23 unless named) | CPU ms/frame | bytes/frame | luma PSNR dB |\n|---|---|---|---|")
    for row in rows:
        print(f"| {row['preset']} | {row['cpu'] * 1000 / row['frames']:.1f} | "
              f"{row['bytes'] / row['frames']:.0f} | {row['psnr']:.1f} |")


def request_for(slide_id: str, quality: str, manim_dir: Path, steps: int | None,
                x264: dict[str, str] | None) -> Path:
    """The request the pipeline would send (voice none: no step lengths), written to a file."""
    from explainer.job.request import RenderRequest
    from explainer.media.presets import PRESETS
    from explainer.script.load import load_lecture
    from explainer.script.scan import find_scene_classes

    lecture = load_lecture(ROOT / "script.yaml")
    slide = lecture.slide(slide_id)
    scene = find_scene_classes(lecture.scenes_dir)[slide.scene]
    request = RenderRequest.for_slide(lecture.path.resolve(), slide, lecture.theme, scene.module, PRESETS[quality],
                                      manim_dir, check_layout=True, no_cache=True, stop_after_step=steps)
    if x264 is not None:
        request = dataclasses.replace(request, encoder_options=x264)
    path = manim_dir.parent / "request.json"
    manim_dir.mkdir(parents=True, exist_ok=True)
    request.write(path)
    return path


def split_row(name: str, seconds: float, frames: int, whole: float) -> str:
    return f"| {name} | {seconds * 1000 / frames:.1f} | {100 * seconds / whole:.0f}% |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slide", nargs="?", default="residual")
    parser.add_argument("--quality", default="high")
    parser.add_argument("--steps", type=int, default=None, help="render only the first N steps")
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS), help="default: every variant")
    parser.add_argument("--cprofile", type=int, default=0, help="print the top N functions (main thread, tottime)")
    parser.add_argument("--encode-presets", default="", help="x264 presets to compare on the clip's frames")
    parser.add_argument("--encode-frames", type=int, default=180)
    parser.add_argument("--encode-from", type=int, default=0, help="first frame of the x264 comparison")
    parser.add_argument("--encode-clip", type=Path, help="only compare x264 presets on this clip's frames")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1], Path(args.child[2]), args.cprofile)
        return 0
    if args.encode_clip:
        with tempfile.TemporaryDirectory(prefix="profile-frame-") as temp:
            clip = Path(temp) / "clip.mp4"
            shutil.copy(args.encode_clip, clip)
            print_presets(encode_presets(clip, args.encode_presets.split(","), args.encode_from, args.encode_frames),
                          args.encode_from)
        return 0
    from explainer.media.presets import PRESETS

    fps = PRESETS[args.quality].fps
    report: dict[str, Any] = {"slide": args.slide, "quality": args.quality, "variants": {}}
    with tempfile.TemporaryDirectory(prefix="profile-frame-") as temp:
        for variant in args.variant or list(VARIANTS):
            work = Path(temp) / variant.replace(" ", "-")
            knobs = VARIANTS[variant]
            request = request_for(args.slide, args.quality, work / "manim", args.steps, knobs.get("x264"))
            out = work / "counters.json"
            subprocess.run([sys.executable, __file__, "--child", str(request), variant, str(out),
                            "--cprofile", str(args.cprofile)], check=True, cwd=ROOT,
                           env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
            counters = json.loads(out.read_text(encoding="utf-8"))
            from explainer.media.container import probe

            movie = Path(counters["movie"])
            frames = probe(movie, decode=False).frames
            costs = pipeline_costs(movie, counters["steps"], fps, work, knobs.get("webm_decode_check", False))
            encode = counters["total"] - counters["main"] + counters["handover"]
            manim = counters["main"] - counters["cairo"] - counters["handover"] - counters["layout"]
            parts = {"(a) Manim Python (construct, interpolate, updaters)": manim,
                     "(b) Cairo drawing (camera, frame copies)": counters["cairo"],
                     "(c) encoding (x264 + RGBA→YUV, encoder threads)": encode,
                     "(d) layout check (worker)": counters["layout"]}
            parts.update({f"(d) {name}": seconds for name, seconds in costs.items() if not name.startswith("info")})
            whole = sum(parts.values())
            parts.update({name: seconds for name, seconds in costs.items() if name.startswith("info")})
            print(f"\n## {args.slide} at {args.quality}, variant '{variant}': {frames} frames, "
                  f"render {counters['wall']:.1f} s wall, {counters['total']:.1f} s CPU, "
                  f"{movie.stat().st_size / 1e6:.2f} MB; layout checks: {counters['layout_calls']}; "
                  f"LaTeX/dvisvgm subprocesses (not in the split) {counters['subprocesses']:.1f} s CPU")
            print("| part | CPU ms/frame | share |\n|---|---|---|")
            for name, seconds in parts.items():
                print(split_row(name, seconds, frames, whole))
            print(f"| **total** | **{whole * 1000 / frames:.1f}** | 100% |")
            if counters["cprofile"]:
                print(counters["cprofile"])
            report["variants"][variant] = {"frames": frames, "parts": parts, "wall": counters["wall"],
                                           "bytes": movie.stat().st_size, "ms_per_frame": whole * 1000 / frames}
            if args.encode_presets:
                rows = encode_presets(movie, args.encode_presets.split(","), args.encode_from, args.encode_frames)
                print_presets(rows, args.encode_from)
                report["variants"][variant]["encode_presets"] = rows
            shutil.rmtree(work / "manim", ignore_errors=True)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
