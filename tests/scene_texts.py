"""Records every text a scene shows over its whole run (not only in its last frame)."""

from __future__ import annotations

from manim import DecimalNumber, SingleStringMathTex, Text

from explainer.scenekit.layout import text_objects, visible
from scenes_support import render_last_frame, scene_class


def _as_string(mobject) -> str:
    if isinstance(mobject, Text):
        return mobject.original_text
    if isinstance(mobject, SingleStringMathTex):
        return mobject.get_tex_string()
    if isinstance(mobject, DecimalNumber):
        return f"{mobject.get_value():.{mobject.num_decimal_places}f}"
    return ""


def texts_seen(slide_id: str, media_dir, monkeypatch, params: dict | None = None):
    """Render the slide (animations skipped); returns (scene, list of the visible texts after each play/wait)."""
    cls = scene_class(slide_id)
    snapshots: list[list[str]] = []
    for name in ("play", "wait"):
        original = getattr(cls, name)

        def recorded(self, *args, _original=original, **kwargs):
            _original(self, *args, **kwargs)
            snapshots.append([_as_string(m) for m in text_objects(self.mobjects) if visible(m)])

        monkeypatch.setattr(cls, name, recorded)
    scene = render_last_frame(slide_id, media_dir, params=params, fresh=True)  # it must see every play
    return scene, snapshots


def all_texts(snapshots: list[list[str]]) -> set[str]:
    """Every distinct text seen at some point."""
    return {text for snapshot in snapshots for text in snapshot}
