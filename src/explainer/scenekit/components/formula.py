"""A MathTex built from named terms, so a scene can highlight the term it is computing."""

from __future__ import annotations

from manim import (
    AnimationGroup,
    Create,
    FadeOut,
    MathTex,
    ReplacementTransform,
    SurroundingRectangle,
    VMobject,
)
from manim.animation.animation import Animation

from explainer.scenekit.components.text import tint


class Formula(MathTex):
    """`Formula([("lhs", "P_i"), ("eq", "="), ("frac", r"\\frac{e^{z_i}}{\\sum_j e^{z_j}}")])`.

    Each (name, tex) pair becomes one submobject; `term(name)` returns it and `focus(name)`
    moves a highlight box onto it.
    """

    def __init__(self, terms: list[tuple[str, str]], font_size: float = 44, **kwargs: object) -> None:
        self.term_names = [name for name, _ in terms]
        super().__init__(*(tex for _, tex in terms), font_size=font_size, **kwargs)  # type: ignore[arg-type]
        self.box: SurroundingRectangle | None = None

    def term(self, name: str) -> VMobject:
        """The submobject drawn for the named term."""
        try:
            return self.submobjects[self.term_names.index(name)]
        except ValueError:
            raise KeyError(f"formula has no term '{name}' (has: {', '.join(self.term_names)})") from None

    def color_term(self, name: str, color: str | None = None, role: str | None = None) -> Formula:
        """Colour one term permanently (e.g. Q in the query role's colour)."""
        self.term(name).set_color(tint(color, role))
        return self

    def focus(self, *names: str, color: str | None = None, role: str | None = None) -> Animation:
        """Animate a highlight box onto the named terms (from wherever it was)."""
        from manim import VGroup

        target = VGroup(*(self.term(n) for n in names))
        box = SurroundingRectangle(target, color=tint(color, role, default="highlight"),
                                   buff=0.08, corner_radius=0.06, stroke_width=3)
        if self.box is None:
            self.box = box
            return Create(box)
        old, self.box = self.box, box
        return ReplacementTransform(old, box)

    def unfocus(self) -> Animation:
        """Remove the highlight box."""
        if self.box is None:
            return AnimationGroup()
        old, self.box = self.box, None
        return FadeOut(old)
