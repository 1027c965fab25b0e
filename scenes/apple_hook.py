"""Slide 'apple-hook': 同一個詞，同一個意思？."""

from explainer.slide_scene import BulletSlide


class AppleHook(BulletSlide):
    slide_id = "apple-hook"
