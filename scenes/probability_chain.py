"""Slide 'probability-chain': AI 文字生成原理：機率接龍."""

from explainer.slide_scene import BulletSlide


class ProbabilityChain(BulletSlide):
    slide_id = "probability-chain"
