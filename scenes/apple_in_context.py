"""Slide 'apple-in-context': 讓「蘋果」不再只有一種意思."""

from explainer.slide_scene import BulletSlide


class AppleInContext(BulletSlide):
    slide_id = "apple-in-context"
