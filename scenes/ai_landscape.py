"""Slide 'ai-landscape': ML ⊃ DL ⊃ Transformer, GenAI overlapping Transformer, today's models in the overlap."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from explainer.scenekit.components.bullets import fit_bullets
from explainer.scenekit.components.fit import fit_line, shrink_to_fit
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene

LABEL_SIZE = "label"
BULLET_WIDTH = 3.6
BULLET_GAP = 0.5
MODEL_SIZE = 22          # Latin glyphs at 22 stay above the 2.8% minimum height
MODEL_GAP = 0.2


@dataclass(frozen=True)
class Region:
    """An axis-aligned ellipse: the shape of one field in the diagram."""

    center: tuple[float, float]
    width: float
    height: float

    def half_width_at(self, y: float) -> float:
        """Half the ellipse's width at height y (0 outside it)."""
        dy = (y - self.center[1]) / (self.height / 2)
        return float(self.width / 2 * np.sqrt(max(0.0, 1.0 - dy * dy)))

    def contains(self, point: np.ndarray) -> bool:
        dx = (point[0] - self.center[0]) / (self.width / 2)
        dy = (point[1] - self.center[1]) / (self.height / 2)
        return bool(dx * dx + dy * dy < 1.0)


# The nested fields, then GenAI overlapping Transformer inside DL (diagram on the left of the frame).
ML = Region((-2.3, -0.55), 9.0, 5.7)
DL = Region((-2.1, -0.85), 7.4, 4.4)
TRANSFORMER = Region((-3.1, -1.2), 4.2, 2.9)
GENAI = Region((-0.8, -1.2), 4.2, 2.9)


def overlap_span(a: Region, b: Region, y: float) -> tuple[float, float]:
    """The x-range covered by both side-by-side regions at height y (a on the left of b)."""
    return b.center[0] - b.half_width_at(y), a.center[0] + a.half_width_at(y)


def overlap_slots(count: int, item_height: float, a: Region = TRANSFORMER,
                  b: Region = GENAI) -> list[tuple[np.ndarray, float]]:
    """Centres and usable widths for `count` stacked labels inside the lens where a and b overlap."""
    pitch = item_height + MODEL_GAP
    y_mid = a.center[1]
    slots = []
    for index in range(count):
        y = y_mid + (count - 1) / 2 * pitch - index * pitch
        # The narrowest row of the label decides how wide it may be.
        edges = [overlap_span(a, b, y + dy) for dy in (-item_height / 2, item_height / 2)]
        left, right = max(e[0] for e in edges), min(e[1] for e in edges)
        slots.append((np.array([(left + right) / 2, y, 0.0]), right - left))
    return slots


class AiLandscape(SlideScene):
    slide_id = "ai-landscape"
    exposed = ("models", "region_labels")

    def construct(self) -> None:
        p, th = self.params, self.theme
        # 1. The title
        self.step("title")
        self.show_title()

        # 2. Machine learning: the widest field
        self.step("ml")
        ml = self.region(ML, th.muted, 0.10)
        ml_label = self.region_label(p.ml, ml, th.muted, top_gap=0.3)
        self.play(DrawBorderThenFill(ml), run_time=1.0)
        self.play(FadeIn(ml_label, shift=DOWN * 0.2), run_time=0.5)
        self.hold(p.ml)

        # 3. Deep learning: one branch inside it
        self.step("dl")
        dl = self.region(DL, th.text, 0.08)
        dl_label = self.region_label(p.dl, dl, th.text, top_gap=0.3)
        self.play(GrowFromCenter(dl), run_time=0.9)
        self.play(FadeIn(dl_label, shift=DOWN * 0.2), run_time=0.5)
        self.hold(p.dl)

        # 4. Transformer: an architecture inside deep learning (bullet 1)
        self.step("transformer")
        transformer = self.region(TRANSFORMER, th.accent, 0.22)
        transformer_label = cjk(p.transformer, LABEL_SIZE, weight="BOLD", role="accent")
        self.fit_beside_overlap(transformer_label, TRANSFORMER, side=LEFT)
        self.play(GrowFromCenter(transformer), run_time=0.9)
        self.play(FadeIn(transformer_label), run_time=0.5)
        # Beside the diagram, from y = 1.4 down to the frame's bottom margin, at one common size.
        bullets = fit_bullets(self.slide.bullets, BULLET_WIDTH, 1.4 + config.frame_height / 2 - 0.35, 26,
                              gap=BULLET_GAP, dot_radius=0.06, dot_buff=0.22)
        self.place_bullets(bullets)
        if bullets:
            self.play(FadeIn(bullets[0], shift=LEFT * 0.3),
                      Circumscribe(VGroup(transformer, transformer_label), color=th.accent, shape=Circle,
                                   stroke_width=3),
                      run_time=1.2)
            self.hold(self.slide.bullets[0])

        # 5. Generative AI: overlapping Transformer
        self.step("genai")
        genai = self.region(GENAI, th.highlight, 0.18)
        genai_label = cjk(p.genai, LABEL_SIZE, color=th.highlight, weight="BOLD")
        self.fit_beside_overlap(genai_label, GENAI, side=RIGHT)
        start = genai.copy().shift(RIGHT * 3.5).set_opacity(0)
        self.play(Transform(start, genai), run_time=1.0)
        self.remove(start)
        self.add(genai, transformer_label)
        lens = Intersection(transformer, genai, fill_color=th.highlight, fill_opacity=0.35, stroke_width=0)
        self.play(FadeIn(genai_label), FadeIn(lens), run_time=0.6)
        self.hold(p.genai)

        # 6. Today's generative models sit in the overlap (bullet 2)
        self.step("models")
        sample_height = cjk("ChatGPT", MODEL_SIZE).height
        models = VGroup()
        for name, (centre, width) in zip(p.models, overlap_slots(len(p.models), sample_height)):
            label = fit_line(name, width - 0.1, MODEL_SIZE, weight="BOLD").move_to(centre)
            models.add(label)
        for label in models:
            self.play(FadeIn(label, shift=LEFT * 1.5, scale=0.8), run_time=0.6)
            self.wait(0.3)
        if len(bullets) > 1:
            self.play(FadeIn(bullets[1], shift=LEFT * 0.3),
                      Indicate(lens, color=th.highlight, scale_factor=1.05), run_time=1.2)
            self.hold(self.slide.bullets[1])
        self.wait(1.5)
        self.regions = {"ml": ml, "dl": dl, "transformer": transformer, "genai": genai}
        self.region_labels = {"ml": ml_label, "dl": dl_label, "transformer": transformer_label,
                              "genai": genai_label}
        self.models = models

    # -- pieces -------------------------------------------------------------------------------
    def region(self, shape: Region, color: str, fill: float) -> Ellipse:
        ellipse = Ellipse(width=shape.width, height=shape.height, color=color, stroke_width=3,
                          fill_color=color, fill_opacity=fill)
        return ellipse.move_to([*shape.center, 0])

    def region_label(self, text: str, region: Ellipse, color: str, top_gap: float) -> Text:
        label = cjk(text, LABEL_SIZE, color=color, weight="BOLD")
        return label.next_to(region.get_top(), DOWN, buff=top_gap)

    def fit_beside_overlap(self, label: Text, shape: Region, side: np.ndarray) -> None:
        """Put a label in the part of `shape` outside the overlap, centred there."""
        y = shape.center[1]
        left, right = overlap_span(TRANSFORMER, GENAI, y)
        if side[0] < 0:
            free = (shape.center[0] - shape.half_width_at(y), left)
        else:
            free = (right, shape.center[0] + shape.half_width_at(y))
        shrink_to_fit(label, free[1] - free[0] - 0.3)
        label.move_to([(free[0] + free[1]) / 2, y, 0])

    def place_bullets(self, bullets: list[VGroup]) -> None:
        """The bullets in a column right of the diagram."""
        top = 1.4
        for item in bullets:
            item.move_to([ML.center[0] + ML.width / 2 + 0.55 + item.width / 2, top - item.height / 2, 0])
            top = item.get_bottom()[1] - BULLET_GAP
