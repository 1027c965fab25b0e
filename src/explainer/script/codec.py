"""JSON forms of the script's records (slide, theme), for a render request sent to another process."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from explainer.script.model import Params, Segment, Slide, plain
from explainer.script.theme import Sizes, Theme


def segment_to_json(segment: Segment) -> dict[str, Any]:
    return {"step": segment.step, "text": segment.text, "line": segment.line, "column": segment.column,
            "audio": str(segment.audio) if segment.audio is not None else None}


def segment_from_json(data: dict[str, Any]) -> Segment:
    audio = data.get("audio")
    return Segment(data["step"], data["text"], Path(audio) if audio else None, data["line"], data["column"])


def slide_to_json(slide: Slide) -> dict[str, Any]:
    """Every field of the slide, as plain JSON (params and any other mapping as dicts)."""
    data: dict[str, Any] = {}
    for field in fields(slide):
        value = getattr(slide, field.name)
        if field.name == "narration":
            data[field.name] = [segment_to_json(s) for s in value]
        else:
            data[field.name] = plain(value)
    return data


def slide_from_json(data: dict[str, Any]) -> Slide:
    """The slide `slide_to_json` wrote: mappings become Params again, lists tuples."""
    values: dict[str, Any] = {}
    for field in fields(Slide):
        if field.name not in data:
            continue   # a field with a default that an older request did not carry
        value = data[field.name]
        if field.name == "narration":
            value = tuple(segment_from_json(s) for s in value)
        elif isinstance(value, dict):
            value = Params(value)
        elif isinstance(value, list):
            value = tuple(value)
        values[field.name] = value
    return Slide(**values)


def theme_to_json(theme: Theme) -> dict[str, Any]:
    return theme.as_key_data()


def theme_from_json(data: dict[str, Any]) -> Theme:
    return Theme(font=data["font"], palette=dict(data["palette"]), sizes=Sizes(**data["sizes"]))
