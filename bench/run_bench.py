"""Benchmark: measures the pipeline in one run and prints ratios (not a test; takes ~20 minutes).

Usage: .venv/bin/python bench/run_bench.py [--out bench/RESULTS.md] [--quick]

Works on a copy of the project in a temporary folder with fresh media folders, so the real
media/ is untouched. Measured, in this order:
  1. a cold render of the whole lecture at draft with --jobs 1, then with --jobs 2
  2. a no-op re-run of the whole lecture
  3. a one-slide text edit (one bullet), re-rendered and re-stitched
  4. stitching speed: the whole lecture joined by packet copy, as a multiple of real time
  5. one scene through the pipeline against plain `manim -ql` rendering the same scene, both cold
  6. peak memory per render process (from the render processes' own rusage)
  7. narration: synthesis speed of every segment with the draft voice, cold and cached (× real
     time); a one-segment edit that changes a step's length on NARRATION_SLIDE against that
     slide's cold render; the cold lecture with --voice none against the cold lecture with voice
--quick renders only one chapter for steps 1-3 and 7 (to try the script itself).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EDIT_SLIDE = "qkv-analogy"
EDIT_FROM, EDIT_TO = "Q、K、V 在模型內部模擬「搜尋與比對」的程序", "Q、K、V 在模型內部模擬一次「搜尋與比對」"
SCENE_FOR_PLAIN = ("scenes/logits_softmax.py", "LogitsSoftmax", "logits-softmax")
NARRATION_SLIDE = "temperature-table"
NARRATION_EDIT_SUFFIX = "我們再仔細看一次這個變化。"

SYNTHESIS_CODE = """
import sys, time
from pathlib import Path
from explainer.script.load import load_lecture
from explainer.voice.slide_voice import voice_all
lecture = load_lecture(Path('script.yaml'))
started = time.perf_counter()
voiced = voice_all(lecture, 'draft', Path(sys.argv[1]), 2)
cold = time.perf_counter() - started
started = time.perf_counter()
voice_all(lecture, 'draft', Path(sys.argv[1]), 2)
cached = time.perf_counter() - started
seconds = sum(v.seconds for slide in voiced.values() for v in slide.voiced)
print(seconds, cold, cached, sum(len(slide.voiced) for slide in voiced.values()))
"""


def edit_first_segment(script: Path, slide_id: str, suffix: str) -> None:
    """Lengthen the first spoken segment of a slide (a length-changing narration edit)."""
    lines = script.read_text(encoding="utf-8").splitlines(keepends=True)
    inside = False
    for index, line in enumerate(lines):
        if line.strip() == f"- id: {slide_id}":
            inside = True
        elif inside and line.strip().startswith("say:"):
            lines[index] = line.rstrip("\n") + suffix + "\n"
            script.write_text("".join(lines), encoding="utf-8")
            return
    sys.exit(f"no narration segment found for {slide_id}")


def timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(command)}\n{run.stderr[-3000:]}")
    return elapsed, run


def explainer(*args: str) -> list[str]:
    return [sys.executable, "-m", "explainer", *args]


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "scenes", target / "scenes", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "script.yaml", target / "script.yaml")
    shutil.copy(ROOT / "manim.cfg", target / "manim.cfg")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=["narration"], default=None,
                        help="narration: only the cold --jobs 2 render and step 7 (about half the time)")
    args = parser.parse_args()
    targets = ["qkv"] if args.quick else []
    if args.quick:
        global NARRATION_SLIDE
        NARRATION_SLIDE = "qkv-flow"   # in the quick run's chapter
    results: dict[str, float] = {}
    peak_slide = "-"
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as folder:
        project = copy_project(Path(folder) / "project")
        if args.only is None:
            peak_slide = measure_core(project, targets, results)
        else:
            print("cold render, --jobs 2 …", flush=True)
            results["cold_jobs2"], _ = timed(explainer("render", *targets, "--jobs", "2", "--media", "m2"), project)
            print(f"   {results['cold_jobs2']:.1f}s", flush=True)
        measure_narration(project, Path(folder), targets, results)
    report = render_report(results, peak_slide, args.quick)
    print(report)
    if args.only and args.out.is_file() and "## Narration" in (old := args.out.read_text(encoding="utf-8")):
        # Keep the last full run's tables; replace only the narration section.
        report = old[: old.index("## Narration")] + report[report.index("## Narration"):]
    args.out.write_text(report, encoding="utf-8")
    print(f"written to {args.out}")


def measure_core(project: Path, targets: list[str], results: dict[str, float]) -> str:
    """Steps 1-6; returns the slide with the largest peak memory."""
    print("1. cold render, --jobs 1 …", flush=True)
    results["cold_jobs1"], _ = timed(explainer("render", *targets, "--jobs", "1", "--media", "m1"), project)
    print(f"   {results['cold_jobs1']:.1f}s\n   cold render, --jobs 2 …", flush=True)
    results["cold_jobs2"], _ = timed(explainer("render", *targets, "--jobs", "2", "--media", "m2"), project)
    print(f"   {results['cold_jobs2']:.1f}s\n2. no-op re-run …", flush=True)
    noop = [timed(explainer("render", *targets, "--media", "m2"), project)[0] for _ in range(3)]
    results["noop"] = min(noop)
    print(f"   {results['noop']:.2f}s (best of 3)\n3. one-slide text edit …", flush=True)
    script = project / "script.yaml"
    text = script.read_text(encoding="utf-8")
    assert EDIT_FROM in text, "the benchmark's edit target is gone; update EDIT_FROM"
    script.write_text(text.replace(EDIT_FROM, EDIT_TO, 1), encoding="utf-8")
    results["one_edit"], _ = timed(explainer("render", *targets, "--media", "m2"), project)
    print(f"   {results['one_edit']:.1f}s\n4. stitching speed …", flush=True)
    manifest = json.loads((project / "m2" / "draft" / "manifest.json").read_text(encoding="utf-8"))
    clips = [project / "m2" / "draft" / s["clip"] for s in manifest["slides"] if s["clip"]]
    video_seconds = sum(s["duration"] for s in manifest["slides"] if s["clip"])
    stitch_code = (
        "import sys; from pathlib import Path; from explainer.media.container import concat\n"
        "concat([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]))\n"
    )
    results["stitch"], _ = timed([sys.executable, "-c", stitch_code, "joined.mp4", *map(str, clips)], project)
    results["video_seconds"] = video_seconds
    print(f"   {video_seconds:.0f}s of video in {results['stitch']:.2f}s\n5. pipeline vs plain manim …",
          flush=True)
    module, scene, slide = SCENE_FOR_PLAIN
    results["one_pipeline"], _ = timed(explainer("render", slide, "--media", "m3", "--jobs", "1"), project)
    results["one_plain"], _ = timed([sys.executable, "-m", "manim", "render", "-ql", "--media_dir", "m4",
                                     module, scene], project)
    print(f"   pipeline {results['one_pipeline']:.1f}s, plain manim {results['one_plain']:.1f}s", flush=True)
    memory = []
    for meta in (project / "m2" / ".cache" / "store").glob("*.json"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        if data.get("peak_memory_mb"):
            memory.append((data["peak_memory_mb"], data["slide"]))
    results["peak_mb_max"], peak_slide = max(memory) if memory else (0.0, "-")
    results["peak_mb_median"] = sorted(m for m, _ in memory)[len(memory) // 2] if memory else 0.0
    return peak_slide


def measure_narration(project: Path, folder: Path, targets: list[str], results: dict[str, float]) -> None:
    """Step 7, after a cold --jobs 2 render into m2."""
    print("7. narration …", flush=True)
    _, run = timed([sys.executable, "-c", SYNTHESIS_CODE, str(folder / "voice-bench")], project)
    spoken, results["synth_cold"], results["synth_cached"], results["segments"] = map(float, run.stdout.split())
    results["spoken_seconds"] = spoken
    stored = [json.loads(m.read_text(encoding="utf-8")) for m in (project / "m2" / ".cache" / "store").glob("*.json")]
    results["slide_cold"] = max((d["render_seconds"] for d in stored if d.get("slide") == NARRATION_SLIDE),
                                default=float("nan"))
    edit_first_segment(project / "script.yaml", NARRATION_SLIDE, NARRATION_EDIT_SUFFIX)
    results["segment_edit"], _ = timed(explainer("render", *targets, "--media", "m2", "--jobs", "2"), project)
    results["cold_silent"], _ = timed(explainer("render", *targets, "--jobs", "2", "--media", "m5",
                                                "--voice", "none"), project)
    print(f"   synthesis {spoken:.0f}s of speech in {results['synth_cold']:.1f}s cold, "
          f"{results['synth_cached']:.2f}s cached; segment edit {results['segment_edit']:.1f}s; "
          f"silent lecture {results['cold_silent']:.1f}s", flush=True)


def render_report(r: dict[str, float], peak_slide: str, quick: bool) -> str:
    scope = "chapter qkv (quick run)" if quick else "the whole lecture (22 slides)"
    head = f"""# Benchmark results

Measured by `bench/run_bench.py` in one run on {platform.node() or 'this machine'}:
{os.cpu_count()} cores, Python {platform.python_version()}, draft quality (854x480@15), {scope}.
Times are wall-clock seconds; ratios compare measurements of this same run.
"""
    return head + (core_table(r, peak_slide) if "cold_jobs1" in r else "") + narration_table(r)


def core_table(r: dict[str, float], peak_slide: str) -> str:
    return f"""
| measurement | seconds | ratio |
|---|---|---|
| cold render, `--jobs 1` | {r['cold_jobs1']:.1f} | 1.00 |
| cold render, `--jobs 2` | {r['cold_jobs2']:.1f} | **{r['cold_jobs1'] / r['cold_jobs2']:.2f}× faster** than `--jobs 1` |
| no-op re-run (best of 3) | {r['noop']:.2f} | {r['cold_jobs2'] / r['noop']:.0f}× faster than the cold `--jobs 2` render |
| one bullet edited on `{EDIT_SLIDE}` (render + re-stitch) | {r['one_edit']:.1f} | {r['cold_jobs2'] / r['one_edit']:.1f}× faster than the cold `--jobs 2` render |
| stitching {r['video_seconds']:.0f} s of video (packet copy) | {r['stitch']:.2f} | {r['video_seconds'] / r['stitch']:.0f}× real time |
| `{SCENE_FOR_PLAIN[2]}` through the pipeline (render, probe, store, publish, stitch) | {r['one_pipeline']:.1f} | {r['one_pipeline'] / r['one_plain']:.2f}× plain manim |
| `{SCENE_FOR_PLAIN[2]}` with plain `manim -ql` | {r['one_plain']:.1f} | 1.00 |

Peak memory per render process: {r['peak_mb_max']:.0f} MB at most (`{peak_slide}`), median
{r['peak_mb_median']:.0f} MB.
"""


def narration_table(r: dict[str, float]) -> str:
    return f"""
## Narration

| measurement | seconds | ratio |
|---|---|---|
| draft voice, every segment ({r['segments']:.0f}), cold cache | {r['synth_cold']:.1f} | {r['spoken_seconds'] / r['synth_cold']:.0f}× real time ({r['spoken_seconds']:.0f} s of speech) |
| the same, all cached | {r['synth_cached']:.2f} | {r['spoken_seconds'] / r['synth_cached']:.0f}× real time |
| `{NARRATION_SLIDE}` cold render (from the `--jobs 2` run) | {r['slide_cold']:.1f} | 1.00 |
| one segment of `{NARRATION_SLIDE}` lengthened (render + re-stitch) | {r['segment_edit']:.1f} | {r['segment_edit'] / r['slide_cold']:.2f}× its cold render (goal < 0.25) |
| cold lecture, `--jobs 2`, `--voice none` | {r['cold_silent']:.1f} | {r['cold_jobs2'] / r['cold_silent']:.2f}× (lecture with voice ÷ silent) |
"""


if __name__ == "__main__":
    main()
