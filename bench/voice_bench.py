"""Benchmark of the neural voice, in one run (not a test; about 15 minutes on 2 cores).

Usage: .venv/bin/python bench/voice_bench.py [--chapters next-word qkv] [--out bench/RESULTS.md]

On a copy of the project with fresh media folders (the real media/ is untouched), it measures:
  1. a cold render of CHAPTERS with the neural voice, --jobs 2: wall time against the CPU time of
     all its processes (render, synthesis and export processes included) ÷ cores, the goal being
     at most 1.1 (no core waits while the other kind of work could run);
  2. the same render with the draft voice, for comparison;
  3. a one-segment edit that changes a step's length on EDIT_SLIDE, against that slide's cold render;
  4. the neural voice's CPU per character and per second of speech with one and two ONNX Runtime
     threads, on the intelligibility test's segments;
  5. with --intelligibility, Whisper base's CER of those segments for the neural and draft voices.
It writes the section "## Neural voice" of RESULTS.md (the rest of the file is kept).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run_bench import edit_first_segment  # bench/ is on sys.path: this script's folder

ROOT = Path(__file__).resolve().parents[1]
EDIT_SLIDE = "qkv-flow"
EDIT_SUFFIX = "我們再仔細看一次這個變化。"
SECTION = "## Neural voice"

SYNTHESIS = """
import json, os, sys, time
sys.path.insert(0, 'tests')
from explainer.script.load import load_lecture
from explainer.voice import neural
from explainer.voice.voices import spoken_text
from speech_set import SEGMENTS
lecture = load_lecture('script.yaml')
settings = lecture.voice.neural
neural.synthesize_neural('暖身。', settings.speaker, settings.speed)   # the model loaded, not timed
chars = seconds = 0
started_cpu, started = time.process_time(), time.perf_counter()
for slide_id, index in SEGMENTS:
    segment = lecture.slide(slide_id).narration[index]
    samples = neural.synthesize_neural(spoken_text(segment, 'neural', lecture.voice), settings.speaker,
                                       settings.speed, lecture.voice.pronounce_neural)
    chars += len(segment.text)
    seconds += len(samples) / 48000
print(json.dumps({"cpu": time.process_time() - started_cpu, "wall": time.perf_counter() - started,
                  "chars": chars, "speech": seconds}))
"""

INTELLIGIBILITY = """
import json, sys
sys.path.insert(0, 'tests')
from pathlib import Path
import numpy as np
from explainer.script.load import load_lecture
from explainer.voice.voices import VoiceCache, voice_segment
from recognizer import Score, score, transcribe
from speech_set import SEGMENTS
lecture = load_lecture('script.yaml')
voice = sys.argv[1]
cache = VoiceCache(Path(sys.argv[2]))
total = Score()
for slide_id, index in SEGMENTS:
    segment = lecture.slide(slide_id).narration[index]
    voiced = voice_segment(cache, segment, voice, lecture.voice)
    heard = transcribe(np.load(voiced.samples), 48000)
    total = total + score(voiced.spoken, heard)
print(json.dumps({"rate": total.rate, "errors": total.errors, "length": total.length,
                  "latin_found": total.latin_found, "latin_total": total.latin_total}))
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the command and every process it waited for, and its stdout."""
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    wall, used = time.perf_counter() - started, children_cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(command)}\n{done.stderr[-3000:]}")
    return wall, used, done.stdout


def explainer(*args: str) -> list[str]:
    return [sys.executable, "-m", "explainer", *args]


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for folder in ("scenes", "tests"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__", "fixtures"))
    for name in ("script.yaml", "manim.cfg"):
        shutil.copy(ROOT / name, target / name)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="+", default=["next-word", "qkv"])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--intelligibility", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="explainer-voice-bench-") as folder:
        project = copy_project(Path(folder) / "project")
        cache = {"EXPLAINER_CACHE_DIR": str(Path(folder) / "user-cache")}
        renders = {}
        for voice in ("neural", "draft"):
            print(f"cold render of {' '.join(args.chapters)}, --voice {voice} --jobs 2 …", flush=True)
            wall, cpu, _ = run(explainer("render", *args.chapters, "--jobs", "2", "--voice", voice,
                                         "--media", f"m-{voice}"), project, cache)
            renders[voice] = (wall, cpu)
            print(f"   {wall:.1f} s wall, {cpu:.1f} CPU-s: {wall / (cpu / cores):.2f}× CPU ÷ cores", flush=True)
            rows.append(f"| cold render, `--voice {voice} --jobs 2` | {wall:.1f} | {cpu:.1f} | "
                        f"**{wall / (cpu / cores):.2f}×** CPU ÷ {cores} cores |")
        rows.append(f"| neural ÷ draft, wall | | | {renders['neural'][0] / renders['draft'][0]:.2f}× |")
        stored = [json.loads(m.read_text(encoding="utf-8"))
                  for m in (project / "m-neural" / ".cache" / "store").glob("*.json")]
        slide_cold = max((d["render_seconds"] for d in stored if d.get("slide") == EDIT_SLIDE), default=float("nan"))
        edit_first_segment(project / "script.yaml", EDIT_SLIDE, EDIT_SUFFIX)
        print(f"one segment of {EDIT_SLIDE} lengthened …", flush=True)
        wall, cpu, _ = run(explainer("render", *args.chapters, "--jobs", "2", "--voice", "neural",
                                     "--media", "m-neural"), project, cache)
        rows.append(f"| one segment of `{EDIT_SLIDE}` lengthened: voiced, that slide re-rendered, re-stitched | "
                    f"{wall:.1f} | {cpu:.1f} | {wall / slide_cold:.2f}× the slide's cold render ({slide_cold:.1f} s) |")
        for threads in ("1", "2"):
            print(f"neural synthesis, {threads} thread(s) …", flush=True)
            _, _, out = run([sys.executable, "-c", SYNTHESIS], project, {**cache, "EXPLAINER_VOICE_THREADS": threads})
            r = json.loads(out)
            rows.append(f"| neural synthesis of the 24 test segments, {threads} ONNX Runtime thread(s) | "
                        f"{r['wall']:.1f} | {r['cpu']:.1f} | {1000 * r['cpu'] / r['chars']:.0f} CPU-ms a character, "
                        f"{r['cpu'] / r['speech']:.2f} CPU-s a second of speech, {r['chars'] / r['speech']:.2f} "
                        "characters a second |")
        if args.intelligibility:
            for voice in ("neural", "draft"):
                print(f"intelligibility, {voice} …", flush=True)
                _, cpu, out = run([sys.executable, "-c", INTELLIGIBILITY, voice, str(Path(folder) / f"v-{voice}")],
                                  project, cache)
                r = json.loads(out)
                rows.append(f"| Whisper base on the 24 test segments, `{voice}` voice | | {cpu:.1f} | CER "
                            f"**{r['rate']:.1%}** ({r['errors']}/{r['length']}), Latin words heard "
                            f"{r['latin_found']}/{r['latin_total']} |")
    section = (f"{SECTION}\n\nMeasured by `bench/voice_bench.py` in one run on {time.strftime('%Y-%m-%d')}, "
               f"{cores} cores, Python {platform.python_version()}, draft quality, chapters "
               f"{', '.join(args.chapters)}. CPU is the user + system time of every process the step waited "
               "for (renders, synthesis, exports).\n\n| measurement | wall s | CPU s | ratio |\n|---|---|---|---|\n"
               + "\n".join(rows) + "\n")
    print(section)
    old = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
    if SECTION in old:
        start = old.index(SECTION)
        end = old.find("\n## ", start + len(SECTION))
        old = old[:start] + old[end + 1:] if end != -1 else old[:start]
    args.out.write_text(old.rstrip("\n") + "\n\n" + section, encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
