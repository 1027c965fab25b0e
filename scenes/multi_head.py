"""Slide 'multi-head': 多頭注意力：像多位專家一樣思考."""

from explainer.slide_scene import BulletSlide


class MultiHead(BulletSlide):
    slide_id = "multi-head"
