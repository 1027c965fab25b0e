"""Slide 'scaled-dot-product': 縮放點積注意力."""

from explainer.slide_scene import BulletSlide


class ScaledDotProduct(BulletSlide):
    slide_id = "scaled-dot-product"
