"""Slide 'qkv-analogy': QKV 類比：網路搜尋."""

from explainer.slide_scene import BulletSlide


class QkvAnalogy(BulletSlide):
    slide_id = "qkv-analogy"
