"""Slide 'qkv-projection': QKV 的數學：線性轉換."""

from explainer.slide_scene import BulletSlide


class QkvProjection(BulletSlide):
    slide_id = "qkv-projection"
