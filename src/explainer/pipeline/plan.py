"""Frame keys, what is stale and why: decided from source and sidecars, without importing manim."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from explainer.codec import encode, read_record
from explainer.files import read_json, user_cache_dir, write_json
from explainer.media.presets import AUDIO_SPEC, Preset
from explainer.pipeline.paths import Paths
from explainer.pipeline.records import Sidecar, SpokenSegment, StoredClip, step_starts
from explainer.pipeline.request import StepMark
from explainer.script import scan
from explainer.script.load import Lecture, Slide
from explainer.script.scan import SceneClass, find_scene_classes, project_dependencies
from explainer.voice.slide_voice import SlideVoice

# Files of the package that shape every frame though no scene imports them.
RENDERER_MODULES = ("pipeline/worker.py", "pipeline/holds.py")
# Modules that only load and validate script.yaml: scenes import them (to find their slide),
# but their whole effect on frames is the parsed slide data, which the key hashes already (the
# codec only carries that data to the render process). Paths relative to the package folder.
# (script/example.py is not one: scenes compute the shared example's numbers with it.)
LOADER_MODULES = frozenset({
    "codec.py",
    "script/__init__.py", "script/load.py", "script/model.py", "script/yamlpos.py", "script/scan.py",
    "script/params.py", "script/schemas.py", "script/rules.py", "script/segments.py",
    "script/facts.py", "script/factcache.py", "script/example_fields.py",
    "text/glyphs.py", "text/speech.py",
})
VERSIONED_PACKAGES = ("manim", "pycairo", "manimpango", "av")
# The code that encodes a clip's webm rendition: editing it makes new ones.
WEBM_MODULE = "media/webm.py"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_json(data: Any) -> str:
    return sha256_bytes(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


@lru_cache(maxsize=1024)
def _file_hash(path: Path, mtime_ns: int, size: int) -> str:
    return sha256_bytes(path.read_bytes())


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, cached by modification time and size within a process."""
    stat = path.stat()
    return _file_hash(path, stat.st_mtime_ns, stat.st_size)


def rendition_key(frame_key: str) -> str:
    """A clip's video-only webm (made where the clip renders) changes with its frames and the
    code that encodes it, never with narration."""
    return sha256_json({"clip": frame_key, "webm": file_hash(scan.PACKAGE_DIR / WEBM_MODULE)})


def installed_versions(names: Sequence[str]) -> dict[str, str]:
    """Each package's installed version ("missing" if it is not installed)."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    return installed_versions(VERSIONED_PACKAGES)


@lru_cache(maxsize=8)
def font_file(family: str) -> Path | None:
    """The font file fontconfig gives Pango for `family`, if any."""
    if shutil.which("fc-match") is None:
        return None
    result = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True)
    path = Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None
    return path if path is not None and path.is_file() else None


@lru_cache(maxsize=8)
def font_fingerprint(family: str) -> dict[str, object]:
    """The contents of the font file Pango will use for `family` (size and SHA-256, never its path
    or mtime): a font update changes keys, and two machines with the same font agree."""
    path = font_file(family)
    if path is None:
        return {"family": family, "file": None}
    stat = path.stat()
    return {"family": family, "size": stat.st_size, "sha256": stored_file_hash(path)}


def _hash_cache_file() -> Path:
    return user_cache_dir() / "file-hashes.json"


def stored_file_hash(path: Path) -> str:
    """SHA-256 of a large file that rarely changes (a font: 20 MB, 0.15 s to hash), remembered
    across runs by path, mtime and size so the no-op path does not read it again."""
    stat = path.stat()
    stamp = [stat.st_mtime_ns, stat.st_size]
    cache = _hash_cache_file()
    known = read_json(cache) or {}
    entry = known.get(str(path))
    if isinstance(entry, dict) and entry.get("stamp") == stamp and isinstance(entry.get("sha256"), str):
        return entry["sha256"]
    digest = file_hash(path)
    known[str(path)] = {"stamp": stamp, "sha256": digest}
    with contextlib.suppress(OSError):  # an unwritable cache only costs the hash again next run
        write_json(cache, known)
    return digest


@lru_cache(maxsize=4096)
def display_path(path: Path, root: Path) -> str:
    """A source file as keys and `status` name it: explainer/… or relative to the project."""
    for base, prefix in ((scan.PACKAGE_DIR, "explainer/"), (root, "")):
        try:
            return prefix + str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def _is_loader(path: Path) -> bool:
    """`path` (resolved, as project_dependencies gives it) is a loader module of the package."""
    try:
        return str(path.relative_to(scan.PACKAGE_DIR)) in LOADER_MODULES
    except ValueError:
        return False


def key_inputs(lecture: Lecture, slide: Slide, preset: Preset, voice: SlideVoice | None = None,
               scene: SceneClass | None = None) -> dict[str, Any]:
    """Each input that shapes the slide's frames, as a hash (so `status` can name what changed).

    Narration enters only as each step's minimum length in frames: words and sound never do.
    """
    scene = scene or find_scene_classes(lecture.scenes_dir)[slide.scene]
    code = {
        display_path(path, lecture.root): file_hash(path)
        for path in project_dependencies(scene.module, lecture.scenes_dir)
        if not _is_loader(path)
    }
    for name in RENDERER_MODULES:
        code[f"explainer/{name}"] = file_hash(scan.PACKAGE_DIR / name)
    cfg = lecture.root / "manim.cfg"
    inputs: dict[str, Any] = {
        "slide": sha256_json(slide.on_screen_data()),
        "theme": sha256_json(lecture.theme.as_key_data()),
        "code": code,
        "manim.cfg": file_hash(cfg) if cfg.is_file() else None,
        "quality": sha256_json(preset.key_data()),
        "versions": package_versions(),
        "font": sha256_json(font_fingerprint(lecture.theme.font)),
        "narration": voice.step_frames(preset.fps) if voice is not None else [],
    }
    return inputs


def frame_key(inputs: dict[str, Any]) -> str:
    return sha256_json(inputs)


def changed_inputs(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Readable names of the inputs that differ between two key_inputs."""
    changes: list[str] = []
    labels = {"slide": "on-screen text or params", "theme": "theme", "manim.cfg": "manim.cfg",
              "quality": "quality preset", "versions": "library versions", "font": "font file",
              "narration": "narration length of a step"}
    for name in new:
        if name == "code":
            old_code, new_code = old.get("code", {}), new["code"]
            code_changes = []
            for path in sorted(set(old_code) | set(new_code)):
                if old_code.get(path) != new_code.get(path):
                    verb = "added" if path not in old_code else "removed" if path not in new_code else "changed"
                    code_changes.append(f"{path} {verb}")
            if len(code_changes) > 3:
                code_changes = [f"{len(code_changes)} source files changed ({', '.join(code_changes[:2])}, …)"]
            changes.extend(code_changes)
        elif old.get(name) != new.get(name):
            changes.append(labels.get(name, name))
    return changes


def publish_key(audio_key: str | None, segments: Sequence[SpokenSegment]) -> str:
    """What a published clip holds beyond its frames: its narration's sound (as encoded) and words."""
    return sha256_json([audio_key, AUDIO_SPEC if audio_key else None, encode(segments)])


def segment_records(voice: SlideVoice, steps: Sequence[StepMark], fps: int) -> list[SpokenSegment]:
    """Each segment as published: its step, words shown and said, where it starts in the clip, how long,
    which voice."""
    return [SpokenSegment(p.segment.step, p.segment.text, round(p.start, 4), round(p.seconds, 4), p.voiced.voice,
                          p.voiced.spoken)
            for p in voice.placed(step_starts(steps), fps)]


def _estimated_length(slide: Slide, paths: Paths, sidecar: Sidecar | None) -> float:
    """Seconds of video expected, to start long slides first: the last render's, else a guess."""
    if sidecar is not None:
        return sidecar.duration
    for quality in ("draft", "medium", "high", "4k"):
        other = Sidecar.read(Paths(paths.media, quality).sidecar(slide.id))
        if other is not None:
            return other.duration
    # Never rendered: more on-screen content usually means a longer, costlier scene.
    return 10.0 + len(json.dumps(slide.on_screen_data(), ensure_ascii=False)) / 40


class Action(Enum):
    """What `render` must do for a slide."""

    CURRENT = "current"    # the published clip is the one its key asks for
    PUBLISH = "publish"    # publish from the clip store (restored, deleted, modified, new narration)
    RENDER = "render"      # run Manim


@dataclass
class SlidePlan:
    """One slide at one quality: its key, whether Manim must run, and why; it carries what the
    render needs (the scene class found in scenes/, the preset, the voiced narration)."""

    slide: Slide
    scene: SceneClass
    preset: Preset
    inputs: dict[str, Any]
    key: str
    action: Action
    reasons: list[str] = field(default_factory=list)
    force: bool = False              # --force: wipe the slide's Manim folder and render uncached
    estimate: float = 30.0           # seconds of video, for longest-first ordering
    voice: SlideVoice | None = None


def plan_slide(lecture: Lecture, slide: Slide, preset: Preset, paths: Paths, force: bool = False,
               voice: SlideVoice | None = None, scenes: dict[str, SceneClass] | None = None,
               unvoiced: bool = False) -> SlidePlan:
    """Decide what `render` must do for one slide (`unvoiced`: its narration is not voiced yet, so
    its step lengths, and with them its key, are not known)."""
    scene = (scenes or find_scene_classes(lecture.scenes_dir))[slide.scene]
    inputs = key_inputs(lecture, slide, preset, voice, scene)
    key = frame_key(inputs)
    sidecar = Sidecar.read(paths.sidecar(slide.id))
    stored = read_record(StoredClip, paths.store_meta(key))   # None: not stored, or unreadable (render again)
    estimate = _estimated_length(slide, paths, sidecar)

    def plan(action: Action, *reasons: str) -> SlidePlan:
        return SlidePlan(slide, scene, preset, inputs, key, action, list(reasons), force, estimate, voice)

    if force:
        return plan(Action.RENDER, "--force")
    if unvoiced:
        return plan(Action.RENDER, "narration not voiced yet: its new step lengths are not known until it is "
                                   "(render voices it)")
    if stored is None or not paths.store_clip(key).is_file() or paths.store_clip(key).stat().st_size != stored.size:
        if sidecar is None:
            return plan(Action.RENDER, "never rendered at this quality")
        return plan(Action.RENDER, *(changed_inputs(sidecar.inputs, inputs)
                                     or ["cached clip missing or damaged"]))
    clip = paths.clip(slide.id)
    if sidecar is None or sidecar.key != key:
        return plan(Action.PUBLISH, "restored from the clip cache")
    if not clip.is_file():
        return plan(Action.PUBLISH, "published clip was deleted")
    if not sidecar.matches(clip):
        return plan(Action.PUBLISH, "published clip was modified")
    audio_key = voice.track_key(step_starts(stored.steps), stored.frames, preset.fps) if voice else None
    words = segment_records(voice, stored.steps, preset.fps) if voice else []
    if sidecar.publish_key != publish_key(audio_key, words):
        return plan(Action.PUBLISH, "narration words or takes changed (same lengths: audio and subtitles "
                                    "re-muxed, nothing rendered)")
    return plan(Action.CURRENT)
