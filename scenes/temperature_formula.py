"""Slide 'temperature-formula': 超參數 Temperature：隨機性的調節旋鈕."""

from explainer.slide_scene import BulletSlide


class TemperatureFormula(BulletSlide):
    slide_id = "temperature-formula"
