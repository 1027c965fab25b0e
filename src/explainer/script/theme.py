"""The visual language: palette, font and text sizes shared by every scene (no manim import)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# Colour roles: a role means the same thing in every scene (Query is always yellow, ...), and no
# two roles share a colour (tests/test_colour_roles.py keeps them apart by perceived distance).
# Scenes and components name a role, never a colour.
DEFAULT_PALETTE: dict[str, str] = {
    # neutral
    "background": "#0E1117",
    "text": "#ECEFF4",
    "muted": "#8A93A6",
    "panel": "#1B2130",
    "accent": "#E0C38F",       # structure only: title rules, bullet dots, list numbers
    "good": "#7BD389",
    "bad": "#D9583F",
    # meanings
    "query": "#F5C542",
    "key": "#2EC4B6",
    "value": "#EF476F",
    "input": "#C792EA",        # a word's vector x (the embedding) and what is added to it
    "attention": "#E040FB",    # attention weights (softmax of the scores)
    "probability": "#A3E635",  # next-word probabilities
    "output": "#4EA8FF",       # what a computation produces (attention output, Σ w·V)
    "highlight": "#FF7A00",    # "look here": the term or item being computed now
    "temperature": "#FDA4AF",  # the sampling temperature T (its dial, its value, ÷T)
}

# What each role means, for the docs and for `explainer check`-style messages.
ROLE_MEANINGS: dict[str, str] = {
    "background": "the frame's background",
    "text": "ordinary text",
    "muted": "secondary text, axes, frames",
    "panel": "card and box fills",
    "accent": "structure: title rules, bullet dots, list numbers; the Transformer as a subject in comparisons",
    "good": "right / kept",
    "bad": "wrong / lost",
    "query": "Query (Q, q)",
    "key": "Key (K, k)",
    "value": "Value (V, v)",
    "input": "input vector x / embedding",
    "attention": "attention weights",
    "probability": "probabilities of the next word",
    "output": "output of a computation",
    "highlight": "what is being computed or pointed at now (never a category)",
    "temperature": "the sampling temperature T",
}
NEUTRAL_ROLES = ("background", "text", "muted", "panel", "accent", "good", "bad")
MEANING_ROLES = ("query", "key", "value", "input", "attention", "probability", "output", "highlight",
                 "temperature")

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


