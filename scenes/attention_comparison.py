"""Slide 'attention-comparison': 人機注意力的三個根本不同."""

from explainer.slide_scene import BulletSlide


class AttentionComparison(BulletSlide):
    slide_id = "attention-comparison"
