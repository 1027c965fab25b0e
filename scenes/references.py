"""Slide 'references': 參考文獻."""

from explainer.slide_scene import BulletSlide


class References(BulletSlide):
    slide_id = "references"
