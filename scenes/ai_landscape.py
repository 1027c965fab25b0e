"""Slide 'ai-landscape': ML ⊃ DL ⊃ Transformer, GenAI overlapping Transformer, today's models in the overlap."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.bullets import fit_bullets
from explainer.scenekit.components.fit import fit_line, shrink_to_fit
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.ai_landscape import DL, GENAI, ML, TRANSFORMER, Region, overlap_slots, overlap_span

LABEL_SIZE = "label"
BULLET_WIDTH = 3.6
BULLET_GAP = 0.5
MODEL_SIZE = 22          # Latin glyphs at 22 stay above the 2.8% minimum height


class AiLandscape(SlideScene):
    slide_id = "ai-landscape"
    exposed = ("models", "region_labels")

    def construct(self) -> None:
        p, th = self.params, self.theme
        # 1. The title, and machine learning: the widest field (drawn as the title is said)
        self.step("ml")
        self.show_title()
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

        # 5. Generative AI: overlapping Transformer. A field named by what it does, not by how it is
        #    built: a dashed outline in the neutral text colour (no meaning colour for a category);
        #    where it overlaps Transformer, the lens takes the Transformer's (accent) fill.
        self.step("genai")
        genai_shape = self.region(GENAI, th.text, 0.0)
        genai = DashedVMobject(genai_shape.copy().set_stroke(th.text, width=3), num_dashes=56, dashed_ratio=0.6)
        genai_label = cjk(p.genai, LABEL_SIZE, color=th.text, weight="BOLD")
        self.fit_beside_overlap(genai_label, GENAI, side=RIGHT)
        start = genai.copy().shift(RIGHT * 3.5).set_opacity(0)
        self.play(Transform(start, genai), run_time=1.0)
        self.remove(start)
        self.add(genai, transformer_label)
        lens = Intersection(transformer, genai_shape, fill_color=th.accent, fill_opacity=0.3, stroke_width=0)
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
