"""Slide 'magic-four-game': 玩個遊戲！神奇的數字 4."""

from explainer.slide_scene import BulletSlide


class MagicFourGame(BulletSlide):
    slide_id = "magic-four-game"
