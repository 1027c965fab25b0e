"""Reads a slide's `narration:` list into Segments: steps that exist and come in order, text
with its placeholders filled from params and facts, and recorded takes that exist."""

from __future__ import annotations

import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

from explainer.script.factcache import cached_facts
from explainer.script.model import Params, Segment
from explainer.script.slidespec import SlideSpec
from explainer.script.yamlpos import MarkedDict, MarkedList, Pos
from explainer.text.speech import read_aloud, unsayable

AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".flac", ".webm")   # .webm: as Chromium records
SEGMENT_KEYS = ("step", "say", "audio")

Report = Callable[[Pos | None, str], None]


class _Namespace(dict):
    """Placeholder values: the slide's params and facts; a missing name raises with the choices."""

    def __missing__(self, name: str) -> Any:
        raise KeyError(name)


def fill(template: str, values: dict[str, Any]) -> str:
    """`template` with its {placeholders} formatted from `values`."""
    return string.Formatter().vformat(template, (), _Namespace(values))


def placeholder_values(scene_module: Path, spec: SlideSpec, params: Params,
                       bullets: tuple[str, ...]) -> dict[str, Any]:
    """What a `say:` template may name: the slide's params, its bullets and its spec's facts."""
    values: dict[str, Any] = {name: params[name] for name in params.names()}
    values["bullets"] = list(bullets)
    if spec.facts is not None:
        values.update(cached_facts(scene_module, spec.facts, params))
    return values


def read_segments(raw: Any, pos: Pos, what: str, steps: list[str], values: Callable[[], dict[str, Any]],
                  root: Path, report: Report, readings: tuple[tuple[str, str], ...] = ()) -> tuple[Segment, ...]:
    """The slide's segments; every problem goes to `report` with where it is and how to fix it."""
    if not isinstance(raw, MarkedList):
        report(pos, f"{what}: narration must be a list of segments, each `- step: NAME` and "
                    f"`say: TEXT` (steps of this scene: {', '.join(steps)})")
        return ()
    segments: list[Segment] = []
    last_index = -1
    filled_values: dict[str, Any] | None = None
    for number, (item, item_pos) in enumerate(zip(raw, raw.item_pos), 1):
        where = f"{what}: narration[{number}]"
        if not isinstance(item, MarkedDict):
            report(item_pos, f"{where} must be a mapping with 'step' and 'say'")
            continue
        for key in item:
            if key not in SEGMENT_KEYS:
                report(item.key_pos[key], f"{where}: unknown key '{key}'; allowed: {', '.join(SEGMENT_KEYS)}")
        step = item.get("step")
        step_pos = item.value_pos.get("step", item_pos)
        if not isinstance(step, str) or step not in steps:
            shown = f"'{step}'" if isinstance(step, str) else "missing"
            report(step_pos, f"{where}: step {shown} is not a step of this scene; its steps are, "
                             f"in order: {', '.join(steps)}")
            continue
        index = steps.index(step)
        if index < last_index:
            report(step_pos, f"{where}: step '{step}' comes before '{steps[last_index]}' in the scene; "
                             "put the segments in the order of the steps")
        last_index = max(last_index, index)
        template = item.get("say")
        say_pos = item.value_pos.get("say", item_pos)
        if not isinstance(template, str) or not template.strip():
            report(say_pos, f"{where}: 'say' must be the words spoken during step '{step}', not empty")
            continue
        if filled_values is None:
            filled_values = values()
        try:
            text = " ".join(fill(template, filled_values).split())
        except (KeyError, AttributeError, IndexError, ValueError, TypeError) as error:
            names = ", ".join(sorted(filled_values))
            report(say_pos, f"{where}: placeholder problem ({type(error).__name__}: {error}); "
                            f"names you can use: {names}; write {{{{ and }}}} for literal braces")
            continue
        bad = unsayable(read_aloud(text, readings))
        if bad:
            shown = " ".join(f"'{c}' (U+{ord(c):04X})" for c in bad)
            report(say_pos, f"{where} (step '{step}'): no voice can say {shown}; write it in words, or add "
                            f"how it is read under `voice: read:` (like `√dₖ: 根號 d k`)")
        audio = _take(item, where, root, report)
        segments.append(Segment(step, text, audio, say_pos.line, say_pos.col))
    return tuple(segments)


def _take(item: MarkedDict, where: str, root: Path, report: Report) -> Path | None:
    if "audio" not in item:
        return None
    value, pos = item["audio"], item.value_pos["audio"]
    if not isinstance(value, str) or not value.strip():
        report(pos, f"{where}: audio must be a file path relative to the script, like audio/qkv-flow/softmax.wav")
        return None
    path = (root / value).resolve()
    if path.suffix.lower() not in AUDIO_SUFFIXES:
        report(pos, f"{where}: audio '{value}' must end in one of {', '.join(AUDIO_SUFFIXES)}")
    elif not path.is_file():
        report(pos, f"{where}: audio file '{value}' not found (looked in {path.parent}); record it there "
                    "or remove the audio line to use the synthesized voice")
    return path
