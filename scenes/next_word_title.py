"""Slide 'next-word-title': AI 下一個詞的預測."""

from explainer.slide_scene import BulletSlide


class NextWordTitle(BulletSlide):
    slide_id = "next-word-title"
