"""The visual language: palette, font and text sizes shared by every scene (no manim import)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# Colour roles: a role means the same thing in every scene (Query is always yellow, ...).
DEFAULT_PALETTE: dict[str, str] = {
    "background": "#0E1117",
    "text": "#ECEFF4",
    "muted": "#8A93A6",
    "query": "#F5C542",
    "key": "#2EC4B6",
    "value": "#EF476F",
    "output": "#4EA8FF",
    "highlight": "#FF9F1C",
    "good": "#7BD389",
    "bad": "#FF6B6B",
    "panel": "#1B2130",
}

DEFAULT_FONT = "Noto Sans CJK TC"


@dataclass(frozen=True)
class Sizes:
    """Font sizes in Manim units; at 480p a CJK glyph of size 20 is ~3.3% of the frame height."""

    chapter: int = 56
    title: int = 40
    heading: int = 32
    body: int = 28
    label: int = 24
    small: int = 20


@dataclass(frozen=True)
class Theme:
    """Palette and font read from script.yaml's `theme` section, with defaults for what it omits."""

    font: str = DEFAULT_FONT
    palette: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PALETTE))
    sizes: Sizes = field(default_factory=Sizes)

    def __getattr__(self, role: str) -> str:
        # Lets scenes write theme.query instead of theme.palette["query"].
        palette = object.__getattribute__(self, "palette")
        if role in palette:
            return palette[role]
        raise AttributeError(role)

    def as_key_data(self) -> dict[str, object]:
        """A plain, ordered description used in frame keys."""
        return {
            "font": self.font,
            "palette": dict(sorted(self.palette.items())),
            "sizes": {f.name: getattr(self.sizes, f.name) for f in fields(self.sizes)},
        }


PALETTE_ROLES = tuple(DEFAULT_PALETTE)
