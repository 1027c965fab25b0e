"""Slide 'logits-softmax': 數學原理：Logits 與 Softmax."""

from explainer.slide_scene import BulletSlide


class LogitsSoftmax(BulletSlide):
    slide_id = "logits-softmax"
