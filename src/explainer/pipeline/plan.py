"""What is stale and why: each slide's plan, decided from source and sidecars, without importing manim."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from explainer.codec import read_record
from explainer.job.request import StepMark
from explainer.media.presets import Preset
from explainer.pipeline.keys import changed_inputs, frame_key, key_inputs, publish_key
from explainer.pipeline.paths import Paths
from explainer.pipeline.records import Sidecar, SpokenSegment, StoredClip, step_starts
from explainer.script.load import Lecture, Slide
from explainer.script.scan import SceneClass, find_scene_classes
from explainer.voice.slide_voice import SlideVoice


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
