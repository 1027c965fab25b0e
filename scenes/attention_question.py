"""Slide 'attention-question': 核心問題：AI 的運算與人腦的思考."""

from explainer.slide_scene import BulletSlide


class AttentionQuestion(BulletSlide):
    slide_id = "attention-question"
