"""Slide 'homework-qkv': 作業：用 QKV 分析你的「週末學習計畫」."""

from explainer.slide_scene import BulletSlide


class HomeworkQkv(BulletSlide):
    slide_id = "homework-qkv"
