"""Slide 'transformer-intro': 深度學習 AI 的變革者：Transformer."""

from explainer.slide_scene import BulletSlide


class TransformerIntro(BulletSlide):
    slide_id = "transformer-intro"
