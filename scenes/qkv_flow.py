"""Slide 'qkv-flow': QKV 運作流程."""

from explainer.slide_scene import BulletSlide


class QkvFlow(BulletSlide):
    slide_id = "qkv-flow"
