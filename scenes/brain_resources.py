"""Slide 'brain-resources': 大腦的「有限資源管理器」."""

from explainer.slide_scene import BulletSlide


class BrainResources(BulletSlide):
    slide_id = "brain-resources"
