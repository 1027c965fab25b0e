"""Frame keys and the keys derived from them: what shapes a slide's frames, its webm and what is
published with it, each hashed so `status` can name what changed (manim-free; borrowed by the
planner, previews, exports, stitching and `doctor`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from explainer.codec import encode
from explainer.hashing import file_hash, sha256_json
from explainer.job.fingerprint import font_fingerprint, installed_versions
from explainer.media.presets import AUDIO_SPEC, Preset
from explainer.pipeline.records import SpokenSegment
from explainer.script import scan
from explainer.script.load import Lecture, Slide
from explainer.script.scan import SceneClass, find_scene_classes, project_dependencies
from explainer.voice.slide_voice import SlideVoice

# Files of the package that shape every frame though no scene imports them: the render process.
RENDERER_MODULES = ("rendering/worker.py", "rendering/holds.py")
# Modules that only load and validate script.yaml: scenes import them (to find their slide),
# but their whole effect on frames is the parsed slide data, which the key hashes already (the
# codec only carries that data to the render process). Paths relative to the package folder.
# (script/example.py is not one: scenes compute the shared example's numbers with it.)
LOADER_MODULES = frozenset({
    "codec.py",
    "script/__init__.py", "script/load.py", "script/model.py", "script/yamlpos.py", "script/scan.py",
    "script/params.py", "script/slidespec.py", "script/specfiles.py", "script/segments.py",
    "script/factcache.py", "script/example_fields.py", "script/next_word.py",
    "text/glyphs.py", "text/speech.py",
})
VERSIONED_PACKAGES = ("manim", "pycairo", "manimpango", "av")
# The code that encodes a clip's webm rendition: editing it makes new ones.
WEBM_MODULE = "media/webm.py"


def rendition_key(frame_key: str) -> str:
    """A clip's video-only webm (made where the clip renders) changes with its frames and the
    code that encodes it, never with narration."""
    return sha256_json({"clip": frame_key, "webm": file_hash(scan.PACKAGE_DIR / WEBM_MODULE)})


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    return installed_versions(VERSIONED_PACKAGES)


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


# The code that cuts subtitle cues (pipeline/subtitles.py): editing it re-cuts every slide's cues and
# publishes each clip again with them (its soft subtitle track), rendering nothing.
CUE_MODULES = tuple(Path(__file__).resolve().parent.parent / "text" / name
                    for name in ("cues.py", "cue_tracks.py", "wordseg.py", "linebreak.py"))


def cue_code() -> list[str]:
    return [file_hash(module) for module in CUE_MODULES]


def publish_key(audio_key: str | None, segments: Sequence[SpokenSegment]) -> str:
    """What a published clip holds beyond its frames: its narration's sound (as encoded) and words,
    and the code cutting those words into its subtitle cues."""
    return sha256_json([audio_key, AUDIO_SPEC if audio_key else None, encode(segments), cue_code()])
