"""Slide 'ai-landscape': 機器學習、深度學習、Transformer 與生成式 AI."""

from explainer.slide_scene import BulletSlide


class AiLandscape(BulletSlide):
    slide_id = "ai-landscape"
