"""Slide 'residual': 殘差連接：深層網路的捷徑."""

from explainer.slide_scene import BulletSlide


class Residual(BulletSlide):
    slide_id = "residual"
